using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Association.Api.Auth;
using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Auth;

public sealed class SignInTests(DemoApp app) : IClassFixture<DemoApp>
{
    private readonly HttpClient _anonymous = app.CreateClient();

    private static string Code(string user) => $"{user}#{Guid.NewGuid():N}";

    private HttpClient WithToken(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task SignIn_WhenFirstTime_CreatesResidentWithoutRoles()
    {
        var response = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(Code("newcomer")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.True(session.IsNewUser);
        Assert.StartsWith("at_", session.AccessToken);
        Assert.True(session.AccessTokenExpiresAt > app.Clock.Now.UtcDateTime);
        var me = await WithToken(session.AccessToken).GetFromJsonAsync<MeResponse>("/api/me");
        Assert.Equal(session.UserId, me!.UserId);
        Assert.Empty(me.Roles);
    }

    [Fact]
    public async Task SignIn_WhenSameWeChatUserReturns_MapsToSameUser()
    {
        var first = await app.SignInAsync("returning");

        var second = await app.SignInAsync("returning");

        Assert.Equal(first.UserId, second.UserId);
        Assert.False(second.Session.IsNewUser);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE openid = @openId", new { openId = first.OpenId }));
    }

    [Fact]
    public async Task SignIn_WhenCodeIsReplayed_Returns401AndCreatesNoSession()
    {
        var code = Code("replayer");
        (await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(code))).EnsureSuccessStatusCode();
        var sessionsBefore = await CountAsync("SELECT COUNT(*) FROM auth_sessions");

        var replay = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(code));

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(sessionsBefore, await CountAsync("SELECT COUNT(*) FROM auth_sessions"));
    }

    [Fact]
    public async Task SignIn_WhenCodeIsForged_Returns401()
    {
        var response = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest("invalid-forged-code"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_WhenWeChatBlocksTheUser_Returns403()
    {
        await app.WeChat.FaultAsync("code2session", 40226);

        var response = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(Code("blocked")));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(-1, 3)]
    [InlineData(45011, 1)]
    [InlineData(-500, 1)]
    public async Task SignIn_WhenWeChatIsBusyOrLimited_Returns503WithRetryAfter(int errCode, int callsItTakes)
    {
        await app.WeChat.FaultAsync("code2session", errCode, times: callsItTakes);

        var response = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(Code("unlucky")));

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData(40125)]
    [InlineData(61234)]
    public async Task SignIn_WhenWeChatAnswersAnErrcodeWeDoNotKnow_Returns502Problem(int errCode)
    {
        await app.WeChat.FaultAsync("code2session", errCode, times: 1);

        var response = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(Code("unknown-errcode")));

        await response.AssertProblemAsync(HttpStatusCode.BadGateway);
    }

    [Theory]
    [InlineData("""{"code":""}""")]
    [InlineData("""{}""")]
    [InlineData("""{"code":12}""")]
    public async Task SignIn_WhenCodeIsMissingOrWrong_Returns400NamingCode(string body)
    {
        var response = await _anonymous.PostAsync("/api/auth/sign-in", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("code", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("openid")]
    [InlineData("role")]
    [InlineData("gridId")]
    public async Task SignIn_WhenBodyTriesMassAssignment_Returns400AndChangesNothing(string field)
    {
        var usersBefore = await CountAsync("SELECT COUNT(*) FROM users");

        var response = await _anonymous.PostAsync("/api/auth/sign-in", new StringContent(
            $$"""{"code":"{{Code("sneaky")}}","{{field}}":"SubDistrictAdmin"}""", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(usersBefore, await CountAsync("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task GetMe_WhenNoToken_Returns401Problem()
    {
        var response = await _anonymous.GetAsync("/api/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("at_tampered-token-that-was-never-issued")]
    [InlineData("not even a token")]
    public async Task GetMe_WhenTokenIsForged_Returns401Problem(string token)
    {
        var response = await WithToken(token).GetAsync("/api/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetMe_WhenTokenIsTamperedByOneCharacter_Returns401Problem()
    {
        var person = await app.SignInAsync("tamper");
        var token = person.Session.AccessToken;
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        var response = await WithToken(tampered).GetAsync("/api/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetMe_WhenTokenHasExpired_Returns401Problem()
    {
        var person = await app.SignInAsync("expiring");
        await ExecuteAsync("UPDATE auth_sessions SET access_expires_at = @expired WHERE user_id = @userId", new { userId = person.UserId, expired = app.Clock.Now.UtcDateTime.AddSeconds(-1) });

        var response = await person.Client.GetAsync("/api/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetMe_WhenUserWasRemoved_Returns401Problem()
    {
        var person = await app.SignInAsync("removed");
        await ExecuteAsync("UPDATE users SET status = 'Removed' WHERE id = @userId", new { userId = person.UserId });

        var response = await person.Client.GetAsync("/api/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var again = await _anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(Code("removed")));
        await again.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignOut_WhenSignedIn_RevokesTheTokenAtOnce()
    {
        var person = await app.SignInAsync("leaver");

        var response = await person.Client.PostAsync("/api/auth/sign-out", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await person.Client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var renew = await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken));
        await renew.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Renew_WhenRefreshTokenIsValid_IssuesNewPairAndRetiresTheOld()
    {
        var person = await app.SignInAsync("renewer");

        var response = await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renewed = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.Equal(person.UserId, renewed.UserId);
        Assert.Equal(HttpStatusCode.OK, (await WithToken(renewed.AccessToken).GetAsync("/api/me")).StatusCode);
        await (await person.Client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var reuse = await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken));
        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Renew_WhenSameRefreshTokenIsUsedConcurrently_OnlyOneSucceeds()
    {
        var person = await app.SignInAsync("racer");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.CreateClient().PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken))));

        var answers = string.Join(", ", attempts.Select(r => (int)r.StatusCode));
        Assert.True(attempts.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, answers);
        Assert.True(attempts.All(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized), answers);
    }

    [Fact]
    public async Task Renew_WhenARotatedRefreshTokenIsPresentedAgain_RevokesTheWholeSessionAndRecordsIt()
    {
        var person = await app.SignInAsync("copied");
        var renewed = await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken));
        var current = (await renewed.Content.ReadFromJsonAsync<SessionResponse>())!;

        // Someone else replays the token the owner has already rotated away.
        var replay = await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken));
        var owner = app.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessToken);
        var me = await owner.GetAsync("/api/me");
        var ownersRenewal = await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(current.RefreshToken));

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ownersRenewal.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal("RefreshReused", await connection.ExecuteScalarAsync<string>(
            "SELECT revoked_reason FROM auth_sessions WHERE user_id = @id ORDER BY id DESC LIMIT 1", new { id = person.UserId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM auth_session_events WHERE user_id = @id AND kind = 'RefreshReused'", new { id = person.UserId }));
        // Signing in again is a new session, untouched.
        var again = await app.SignInAsync("copied");
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SpentRefreshTokensCleanup_WhenTokensWouldHaveExpired_ForgetsThemOnly()
    {
        var person = await app.SignInAsync("spender");
        (await _anonymous.PostAsJsonAsync("/api/auth/renew", new RenewRequest(person.Session.RefreshToken))).EnsureSuccessStatusCode();
        await using var connection = await app.Db.OpenConnectionAsync();
        var session = await connection.ExecuteScalarAsync<long>("SELECT id FROM auth_sessions WHERE user_id = @id", new { id = person.UserId });
        await connection.ExecuteAsync("INSERT INTO spent_refresh_tokens (refresh_hash, session_id, spent_at) VALUES (@hash, @session, @at)",
            new { hash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), session, at = app.Clock.DbUtcNow().AddDays(-31) });

        var dropped = await app.Services.GetRequiredService<SpentRefreshTokensCleanupJob>().RunAsync(default);

        Assert.Equal(1, dropped);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM spent_refresh_tokens WHERE session_id = @session", new { session }));
    }

    [Fact]
    public async Task SignIn_WhenStored_KeepsSessionKeyEncryptedAndTokensHashed()
    {
        var person = await app.SignInAsync("stored");
        var sessionKeys = app.WeChat.State.Secrets.ToList();

        await using var connection = await app.Db.OpenConnectionAsync();
        var cipher = await connection.ExecuteScalarAsync<byte[]>("SELECT session_key_cipher FROM users WHERE id = @id", new { id = person.UserId });
        var stored = Convert.ToBase64String(cipher!);
        Assert.DoesNotContain(sessionKeys, k => stored.Contains(k, StringComparison.Ordinal));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM auth_sessions WHERE access_hash = @token OR refresh_hash = @token",
            new { token = System.Text.Encoding.UTF8.GetBytes(person.Session.AccessToken) }));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task ExecuteAsync(string sql, object args)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }
}
