using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Redis;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Platform.Auth;

/// <summary>
/// Resolves "Authorization: Bearer at_..." (or, without one, the web console's cookie) against the session table, through a few seconds of
/// <see cref="SessionCache"/> that revocations clear at once. The source of truth is MariaDB, so sign-in
/// and authentication keep working when Redis is down.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    MySqlDataSource db,
    TimeProvider time,
    SessionCache cache,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";

    private const string FindSession = """
        SELECT s.id AS session_id, s.user_id, s.access_expires_at
          FROM auth_sessions s
          JOIN users u ON u.id = s.user_id
         WHERE s.access_hash = @hash AND s.revoked_at IS NULL AND u.status = 'Active'
        """;

    private sealed record SessionRow(long SessionId, long UserId, DateTime AccessExpiresAt);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return ConsoleCookie.CameThroughConsole(Context) && Request.Cookies[ConsoleCookie.Name] is { Length: > 0 } cookie
                ? await AuthenticateConsoleAsync(cookie)
                : AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 200)
        {
            return AuthenticateResult.Fail("Malformed authorization header.");
        }
        return await AuthenticateAsync(SessionTokens.Hash(header["Bearer ".Length..].Trim()));
    }

    /// <summary>
    /// The web console's cookie, when no bearer token came: its own kind of session (a bearer token in the cookie, or
    /// the cookie's value as a bearer token, matches nothing), and a write must carry the CSRF token derived from it.
    /// </summary>
    private async Task<AuthenticateResult> AuthenticateConsoleAsync(string cookie)
    {
        if (cookie.Length > 100)
        {
            return AuthenticateResult.Fail("Malformed console cookie.");
        }
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !HttpMethods.IsOptions(Request.Method)
            && !CsrfMatches(cookie, Request.Headers[ConsoleCookie.CsrfHeader].ToString()))
        {
            Context.Items[CsrfRefused] = true;
            return AuthenticateResult.Fail("Missing or wrong CSRF token.");
        }
        return await AuthenticateAsync(SessionTokens.ConsoleHash(cookie));
    }

    private static bool CsrfMatches(string cookie, string sent) =>
        sent.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(SessionTokens.CsrfTokenFor(cookie)), Encoding.UTF8.GetBytes(sent));

    private const string CsrfRefused = "CsrfRefused";

    private async Task<AuthenticateResult> AuthenticateAsync(byte[] hash)
    {
        var cacheKey = Convert.ToBase64String(hash);
        if (!cache.TryGet(cacheKey, out var session))
        {
            var readAt = ForgetMarks.Now();
            await using var connection = await db.OpenConnectionAsync(Context.RequestAborted);
            var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
                FindSession, new { hash }, cancellationToken: Context.RequestAborted));
            if (row is null)
            {
                return AuthenticateResult.Fail("Invalid or expired token.");
            }
            session = new CachedSession(row.SessionId, row.UserId, row.AccessExpiresAt, readAt);
            cache.Store(cacheKey, session);
        }
        if (session.AccessExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return AuthenticateResult.Fail("Invalid or expired token.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(Caller.UserIdClaim, session.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(Caller.SessionIdClaim, session.SessionId.ToString(CultureInfo.InvariantCulture)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = Problems.Details(StatusCodes.Status401Unauthorized, ChallengeCode()),
        });
    }

    // The header is read again rather than kept from authentication: a challenge can come without one.
    private string ChallengeCode()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) && ConsoleCookie.CameThroughConsole(Context) && Request.Cookies[ConsoleCookie.Name] is { Length: > 0 })
        {
            return Context.Items.ContainsKey(CsrfRefused) ? "auth.csrf.invalid" : "auth.session.expired";
        }
        return string.IsNullOrEmpty(header) ? "auth.token.missing"
            : !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 200 ? "auth.token.malformed"
            : "auth.session.expired";
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = Problems.Details(StatusCodes.Status403Forbidden, "auth.forbidden"),
        });
    }
}
