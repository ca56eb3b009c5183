using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Association.Api.AdminConsole;
using Association.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Association.Tests.AdminConsole;

/// <summary>Sign-in to the web console by scanning, its cookie session, and where that cookie does not count.</summary>
public sealed class ConsoleSignInTests(DemoApp app) : IClassFixture<DemoApp>
{
    /// <summary>A browser: keeps the cookies the console's answers set, and sends them only under their path.</summary>
    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private static async Task<LoginTicketView> TicketAsync(HttpClient browser)
    {
        var response = await browser.PostAsync("/admin/api/console/login-tickets", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LoginTicketView>())!;
    }

    private static Task<HttpResponseMessage> ExchangeAsync(HttpClient browser, string ticket) =>
        browser.PostAsJsonAsync("/admin/api/console/login-tickets/exchange", new TicketRequest(ticket));

    private static Task<HttpResponseMessage> ConfirmAsync(SignedIn by, string ticket) =>
        by.Client.PostAsJsonAsync("/api/console/login-tickets/confirm", new TicketRequest(ticket));

    /// <summary>The console's cookie as the exchange set it.</summary>
    private static string ConsoleCookieOf(HttpResponseMessage exchanged) =>
        exchanged.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("assoc_console=", StringComparison.Ordinal)).Split(';')[0]["assoc_console=".Length..];

    [Fact]
    public async Task SignIn_WhenAnAdminScansTheTicket_GivesTheBrowserACookieSessionThatWritesOnlyWithItsCsrfToken()
    {
        var admin = await app.SubDistrictAdminAsync();
        var browser = Browser();
        var ticket = await TicketAsync(browser);

        var waiting = await ExchangeAsync(browser, ticket.Ticket);
        var confirmed = await ConfirmAsync(admin, ticket.Ticket);
        var exchanged = await ExchangeAsync(browser, ticket.Ticket);
        var signedIn = (await exchanged.Content.ReadFromJsonAsync<ExchangeView>())!;
        var session = await browser.GetFromJsonAsync<ConsoleSessionView>("/admin/api/console/session");
        var members = await browser.GetAsync("/admin/api/members");
        var withoutCsrf = await browser.PostAsync("/admin/api/console/sign-out", null);
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/admin/api/console/sign-out");
        signOut.Headers.Add("X-CSRF-Token", signedIn.CsrfToken);
        var signedOut = await browser.SendAsync(signOut);
        var afterSignOut = await browser.GetAsync("/admin/api/console/session");
        var appStillSignedIn = await admin.Client.GetAsync("/api/me");

        Assert.StartsWith("association://console-login?ticket=lt_", ticket.QrContent);
        Assert.True(ticket.ExpiresAt <= app.Clock.Now.UtcDateTime.AddMinutes(2.1));
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        Assert.Equal(TicketState.Waiting, (await waiting.Content.ReadFromJsonAsync<ExchangeView>())!.State);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal((TicketState.SignedIn, admin.UserId), (signedIn.State, signedIn.UserId));
        var cookie = exchanged.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("assoc_console=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("path=/admin", cookie);
        Assert.Equal(admin.UserId, session!.UserId);
        Assert.Equal(signedIn.CsrfToken, session.CsrfToken);
        Assert.Contains(session.Roles, r => r.Role == Api.Roles.Role.SubDistrictAdmin);
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        Assert.Equal("auth.csrf.invalid", (await withoutCsrf.AssertProblemAsync(HttpStatusCode.Unauthorized)).Code());
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, appStillSignedIn.StatusCode);
    }

    [Fact]
    public async Task Ticket_WhenReusedExpiredConfirmedByAResidentOrExchangedByAnotherBrowser_IsRefused()
    {
        var admin = await app.SubDistrictAdminAsync();
        var browser = Browser();
        var used = await TicketAsync(browser);
        await ConfirmAsync(admin, used.Ticket);
        var exchanged = await ExchangeAsync(browser, used.Ticket);
        var reExchanged = await ExchangeAsync(browser, used.Ticket);
        var reConfirmed = await ConfirmAsync(admin, used.Ticket);

        var stolen = await TicketAsync(Browser());
        await ConfirmAsync(admin, stolen.Ticket);
        var byOtherBrowser = await ExchangeAsync(browser, stolen.Ticket);

        var forResident = await TicketAsync(browser);
        var byResident = await ConfirmAsync(await app.ResidentAsync(), forResident.Ticket);
        var unknown = await ConfirmAsync(admin, "lt_nosuchticket");

        var expiring = await TicketAsync(browser);
        HttpResponseMessage lateConfirm, lateExchange;
        using (app.Clock.TravelTo(app.Clock.Now.AddMinutes(3)))
        {
            var again = await app.SignInAsync(DemoApp.CastUser(Api.Roles.Role.SubDistrictAdmin, DemoApp.SubDistrict));
            lateConfirm = await ConfirmAsync(again, expiring.Ticket);
            lateExchange = await ExchangeAsync(browser, expiring.Ticket);
        }

        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        // The exchange took the browser's ticket cookie with it: the ticket is nobody's now.
        Assert.Equal("console.ticket.notFound", (await reExchanged.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("console.ticket.used", (await reConfirmed.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("console.ticket.notFound", (await byOtherBrowser.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("console.ticket.notStaff", (await byResident.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal("console.ticket.notFound", (await unknown.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("console.ticket.expired", (await lateConfirm.AssertProblemAsync(HttpStatusCode.Gone)).Code());
        Assert.Equal("console.ticket.expired", (await lateExchange.AssertProblemAsync(HttpStatusCode.Gone)).Code());
    }

    [Fact]
    public async Task ConsoleCookie_WhenPresentedAsABearerTokenOrOutsideTheConsole_CountsForNothing()
    {
        var admin = await app.VillageAdminAsync("TX-DTP-HH");
        var browser = Browser();
        var ticket = await TicketAsync(browser);
        await ConfirmAsync(admin, ticket.Ticket);
        var token = ConsoleCookieOf(await ExchangeAsync(browser, ticket.Ticket));
        var bare = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using var asBearer = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        asBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var asBearerInConsole = new HttpRequestMessage(HttpMethod.Get, "/admin/api/me");
        asBearerInConsole.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var outsideTheConsole = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        outsideTheConsole.Headers.Add("Cookie", $"assoc_console={token}");
        using var bearerAsCookie = new HttpRequestMessage(HttpMethod.Get, "/admin/api/me");
        bearerAsCookie.Headers.Add("Cookie", $"assoc_console={admin.Session.AccessToken}");
        using var inTheConsole = new HttpRequestMessage(HttpMethod.Get, "/admin/api/me");
        inTheConsole.Headers.Add("Cookie", $"assoc_console={token}");
        using var confirmFromConsole = new HttpRequestMessage(HttpMethod.Post, "/admin/api/console/login-tickets/confirm")
        {
            Content = JsonContent.Create(new TicketRequest((await TicketAsync(Browser())).Ticket)),
        };
        confirmFromConsole.Headers.Add("Cookie", $"assoc_console={token}");
        confirmFromConsole.Headers.Add("X-CSRF-Token", Api.Platform.Auth.SessionTokens.CsrfTokenFor(token));

        Assert.Equal(HttpStatusCode.Unauthorized, (await bare.SendAsync(asBearer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bare.SendAsync(asBearerInConsole)).StatusCode);
        Assert.Equal("auth.token.missing", (await (await bare.SendAsync(outsideTheConsole)).AssertProblemAsync(HttpStatusCode.Unauthorized)).Code());
        Assert.Equal(HttpStatusCode.Unauthorized, (await bare.SendAsync(bearerAsCookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bare.SendAsync(inTheConsole)).StatusCode);
        Assert.Equal("console.ticket.fromConsole",
            (await (await bare.SendAsync(confirmFromConsole)).AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
    }

    [Fact]
    public async Task ConsoleSession_WhenTheAdminsRolesChange_Ends()
    {
        var admin = await app.SubDistrictAdminAsync();
        var leader = await app.SignInWithRoleAsync("console-leader", Api.Roles.Role.GridLeader, "TX-DTP-XL-02");
        var browser = Browser();
        var ticket = await TicketAsync(browser);
        await ConfirmAsync(leader, ticket.Ticket);
        await ExchangeAsync(browser, ticket.Ticket);
        var before = await browser.GetAsync("/admin/api/console/session");

        var revoked = await admin.Client.DeleteAsync($"/api/org/units/{await app.UnitAsync("TX-DTP-XL-02")}/roles/GridLeader/{leader.UserId}");
        var after = await browser.GetAsync("/admin/api/console/session");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ConsoleFiles_WhenBuilt_AreServedWithTheirCachingAClientRouteFallbackAndAStrictPolicy()
    {
        var missing = await Browser().GetAsync("/admin/");
        var bare = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/admin");
        Directory.CreateDirectory(Path.Combine(app.ConsoleRoot, "assets"));
        await File.WriteAllTextAsync(Path.Combine(app.ConsoleRoot, "index.html"), "<!doctype html><title>管理后台</title>");
        await File.WriteAllTextAsync(Path.Combine(app.ConsoleRoot, "assets", "index-abc123.js"), "console.log(1)");
        var browser = Browser();

        var index = await browser.GetAsync("/admin/");
        var route = await browser.GetAsync("/admin/members/42");
        var asset = await browser.GetAsync("/admin/assets/index-abc123.js");
        var noAsset = await browser.GetAsync("/admin/assets/nothing.js");
        var escape = await browser.GetAsync("/admin/..%2Fappsettings.json");

        Assert.Equal("console.notBuilt", (await missing.AssertProblemAsync(HttpStatusCode.ServiceUnavailable)).Code());
        Assert.Equal("/admin/", bare.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("管理后台", await index.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", index.Headers.CacheControl!.ToString());
        var policy = string.Join(";", index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe", policy);
        Assert.Equal("text/html", route.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await index.Content.ReadAsStringAsync(), await route.Content.ReadAsStringAsync());
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString());
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, noAsset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
    }
}
