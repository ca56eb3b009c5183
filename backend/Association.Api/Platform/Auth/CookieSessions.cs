using System.Security.Cryptography;
using Dapper;
using MySqlConnector;

namespace Association.Api.Platform.Auth;

/// <summary>
/// Sessions a browser holds in a cookie (the jobs dashboard's, the web console's): rows of <c>auth_sessions</c> like
/// the mini-program's, so revocation ends them the same way, but with no refresh token (a random hash nobody holds).
/// </summary>
public static class CookieSessions
{
    private const string Start = """
        INSERT INTO auth_sessions (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at)
        VALUES (@userId, @accessHash, @refreshHash, @expiresAt, @expiresAt, @now);
        SELECT LAST_INSERT_ID();
        """;

    /// <param name="accessHash">The cookie's hash in its own domain (<see cref="SessionTokens.DashboardHash"/>, <see cref="SessionTokens.ConsoleHash"/>).</param>
    public static Task<long> StartAsync(MySqlConnection connection, MySqlTransaction? transaction, long userId, byte[] accessHash, DateTime expiresAt,
        DateTime now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(Start, new
        {
            userId, accessHash, refreshHash = RandomNumberGenerator.GetBytes(32), expiresAt, now,
        }, transaction, cancellationToken: ct));
}
