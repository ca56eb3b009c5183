using System.Net.Http.Json;
using Association.Api.Roles;
using Association.Tests.Infrastructure;

namespace Association.Tests.Auth;

/// <summary>After a busy session through the API, no log line or response holds a WeChat secret.</summary>
public sealed class SecretsInLogsTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task Requests_WhenSigningInRenewingAndFailing_NeverLogSessionKeysSecretsOrTokens()
    {
        var bodies = new List<string>();
        var admin = await app.SignInWithRoleAsync("secret-admin", Role.SubDistrictAdmin, "TX-DTP");
        var person = await app.SignInAsync("secret-person");
        bodies.Add(await (await person.Client.GetAsync("/api/me")).Content.ReadAsStringAsync());
        bodies.Add(await (await app.CreateClient().PostAsJsonAsync("/api/auth/renew", new { refreshToken = person.Session.RefreshToken })).Content.ReadAsStringAsync());
        bodies.Add(await (await app.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { code = "invalid-code" })).Content.ReadAsStringAsync());
        await app.WeChat.FaultAsync("code2session", -1, times: 3);
        bodies.Add(await (await app.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { code = "busy#1" })).Content.ReadAsStringAsync());
        bodies.Add(await (await admin.Client.GetAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP")}/roles")).Content.ReadAsStringAsync());

        var secrets = app.WeChat.State.Secrets.Append(app.WeChat.AppSecret)
            .Append(person.Session.AccessToken).Append(person.Session.RefreshToken).Append(admin.Session.AccessToken).ToList();
        Assert.True(app.WeChat.State.Secrets.Count >= 2);
        Assert.NotEmpty(app.Logs.Lines);
        Assert.All(app.Logs.Lines, line => Assert.All(secrets, secret => Assert.DoesNotContain(secret, line)));
        Assert.All(app.Logs.Lines, line => Assert.DoesNotContain(person.OpenId, line));
        Assert.All(bodies, body => Assert.All(app.WeChat.State.Secrets.Append(app.WeChat.AppSecret), secret => Assert.DoesNotContain(secret, body)));
    }
}
