using Association.Api.Platform.Auth;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.WeChat;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Auth;

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {

        api.MapPost("/sign-in", SignIn)
            .WithSummary("Sign in with a wx.login code; the first sign-in creates the resident")
            .RequireRateLimiting(AuthSetup.LoginRateLimit)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/renew", Renew)
            .WithSummary("Exchange a refresh token for new tokens; the old pair stops working")
            .RequireRateLimiting(AuthSetup.LoginRateLimit)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPost("/sign-out", SignOut)
            .WithSummary("End this session; its tokens stop working at once")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    private const string SessionKeyContext = "users.session_key";

    // One row per openid: a returning user gets a fresh session key, a new one is created as a resident.
    private const string UpsertUser = """
        INSERT INTO users (openid, unionid, session_key_cipher, session_key_key_id, status, created_at, last_sign_in_at)
        VALUES (@openId, @unionId, @cipher, @keyId, 'Active', @now, @now)
        ON DUPLICATE KEY UPDATE
            id = LAST_INSERT_ID(id),
            unionid = COALESCE(VALUES(unionid), unionid),
            session_key_cipher = VALUES(session_key_cipher),
            session_key_key_id = VALUES(session_key_key_id),
            last_sign_in_at = VALUES(last_sign_in_at);
        SELECT id, status, created_at = @now AS is_new FROM users WHERE id = LAST_INSERT_ID();
        """;

    private const string InsertSession = """
        INSERT INTO auth_sessions (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at)
        VALUES (@userId, @accessHash, @refreshHash, @accessExpiresAt, @refreshExpiresAt, @now)
        """;

    // The WHERE makes renewal single-use: of two concurrent renewals with one token, one matches.
    private const string RotateSession = """
        UPDATE auth_sessions s
          JOIN users u ON u.id = s.user_id
           SET s.access_hash = @accessHash, s.refresh_hash = @refreshHash,
               s.access_expires_at = @accessExpiresAt, s.refresh_expires_at = @refreshExpiresAt, s.renewed_at = @now
         WHERE s.refresh_hash = @oldRefreshHash AND s.revoked_at IS NULL
           AND s.refresh_expires_at > @now AND u.status = 'Active'
        """;

    // The rotated session's user, and the old token kept as spent, in the rotation's transaction.
    private const string SpendOldToken = """
        INSERT INTO spent_refresh_tokens (refresh_hash, session_id, spent_at)
        SELECT @oldRefreshHash, s.id, @now FROM auth_sessions s WHERE s.refresh_hash = @refreshHash;
        SELECT user_id FROM auth_sessions WHERE refresh_hash = @refreshHash;
        """;

    private const string SpentBy = """
        SELECT s.id AS session_id, s.user_id, s.revoked_at IS NOT NULL AS revoked
          FROM spent_refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id
         WHERE t.refresh_hash = @oldRefreshHash
           FOR UPDATE
        """;

    private const string RevokeReused = """
        UPDATE auth_sessions SET revoked_at = @now, revoked_reason = 'RefreshReused' WHERE id = @sessionId AND revoked_at IS NULL;
        INSERT INTO auth_session_events (user_id, session_id, kind, at) VALUES (@userId, @sessionId, 'RefreshReused', @now);
        """;

    private sealed class UserRow
    {
        public long Id { get; init; }

        public string Status { get; init; } = "";

        public bool IsNew { get; init; }
    }

    private sealed class SpentRow
    {
        public long SessionId { get; init; }
        public long UserId { get; init; }
        public bool Revoked { get; init; }
    }

    private sealed record NewTokens(string Access, string Refresh, DateTime AccessExpiresAt, DateTime RefreshExpiresAt);

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> SignIn(
        SignInRequest request, WeChatClient weChat, LoginThrottle throttle, FieldCipher cipher,
        MySqlDataSource db, IOptions<AuthOptions> options, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        WeChatSession session;
        try
        {
            session = await weChat.Code2SessionAsync(request.Code, ct);
        }
        catch (WeChatInvalidCodeException)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, "auth.signIn.codeInvalid");
        }
        catch (WeChatUserBlockedException)
        {
            return Problems.Forbidden("auth.signIn.weChatBlocked");
        }

        if (await throttle.TryEnterAsync(session.OpenId) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Problem(StatusCodes.Status429TooManyRequests, "auth.signIn.userThrottled");
        }

        var now = time.DbUtcNow();
        var sessionKey = cipher.Encrypt(session.SessionKey, SessionKeyContext);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(UpsertUser,
            new { openId = session.OpenId, unionId = session.UnionId, cipher = sessionKey.Cipher, keyId = sessionKey.KeyId, now },
            transaction, cancellationToken: ct));
        if (user.Status != nameof(UserStatus.Active))
        {
            return Problems.Forbidden("auth.user.removed");
        }
        var tokens = NewTokensFor(options.Value, now);
        await connection.ExecuteAsync(new CommandDefinition(InsertSession, new
        {
            userId = user.Id,
            accessHash = SessionTokens.Hash(tokens.Access),
            refreshHash = SessionTokens.Hash(tokens.Refresh),
            accessExpiresAt = tokens.AccessExpiresAt,
            refreshExpiresAt = tokens.RefreshExpiresAt,
            now,
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(user.Id, user.IsNew, tokens));
    }

    /// <summary>
    /// Rotates the session's tokens; the old refresh token is kept as spent. A spent token presented again means two
    /// holders, and we cannot tell the thief from the owner (RFC 9700, 4.14.2), so the whole session is revoked and the
    /// event recorded. A phone that lost a renewal's answer is one of those holders: it signs in again with wx.login,
    /// which asks nothing of its user.
    /// </summary>
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Renew(
        RenewRequest request, MySqlDataSource db, SessionCache sessions, IOptions<AuthOptions> options, TimeProvider time,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var tokens = NewTokensFor(options.Value, now);
        var oldRefreshHash = SessionTokens.Hash(request.RefreshToken);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var rotated = await connection.ExecuteAsync(new CommandDefinition(RotateSession, new
        {
            oldRefreshHash,
            accessHash = SessionTokens.Hash(tokens.Access),
            refreshHash = SessionTokens.Hash(tokens.Refresh),
            accessExpiresAt = tokens.AccessExpiresAt,
            refreshExpiresAt = tokens.RefreshExpiresAt,
            now,
        }, transaction, cancellationToken: ct));
        if (rotated != 1)
        {
            if (await connection.QuerySingleOrDefaultAsync<SpentRow>(new CommandDefinition(SpentBy, new { oldRefreshHash }, transaction, cancellationToken: ct))
                is { Revoked: false } spent)
            {
                await connection.ExecuteAsync(new CommandDefinition(RevokeReused, new { spent.SessionId, spent.UserId, now }, transaction, cancellationToken: ct));
                await transaction.CommitAsync(ct);
                await sessions.ForgetAsync(spent.UserId);
                loggers.CreateLogger("Association.Auth").LogWarning("A spent refresh token of session {SessionId} (user {UserId}) was presented again; the session is revoked",
                    spent.SessionId, spent.UserId);
            }
            return Problems.Problem(StatusCodes.Status401Unauthorized, "auth.refreshToken.invalid");
        }
        var userId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SpendOldToken,
            new { oldRefreshHash, refreshHash = SessionTokens.Hash(tokens.Refresh), now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        // The old access token stops working now, not when a cached copy expires.
        await sessions.ForgetAsync(userId);
        return TypedResults.Ok(ToResponse(userId, false, tokens));
    }

    public static async Task<NoContent> SignOut(HttpContext http, MySqlDataSource db, SessionCache sessions, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await SessionRevocation.SignOutAsync(connection, http.User.SessionId(), time.DbUtcNow(), ct);
        await sessions.ForgetAsync(http.User.UserId());
        return TypedResults.NoContent();
    }

    private static NewTokens NewTokensFor(AuthOptions options, DateTime now) => new(
        SessionTokens.NewAccessToken(),
        SessionTokens.NewRefreshToken(),
        now.AddMinutes(options.AccessTokenMinutes),
        now.AddDays(options.RefreshTokenDays));

    private static SessionResponse ToResponse(long userId, bool isNew, NewTokens tokens) =>
        new(userId, isNew, tokens.Access, tokens.AccessExpiresAt, tokens.Refresh, tokens.RefreshExpiresAt);
}
