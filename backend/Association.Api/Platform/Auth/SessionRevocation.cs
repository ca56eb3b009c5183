using Dapper;
using MySqlConnector;

namespace Association.Api.Platform.Auth;

/// <summary>Ends sessions inside the caller's transaction, so a role change and the sign-out it forces land together.</summary>
public static class SessionRevocation
{
    private const string RevokeAllOfUser = """
        UPDATE auth_sessions SET revoked_at = @now, revoked_reason = @reason
         WHERE user_id = @userId AND revoked_at IS NULL
        """;

    private const string RevokeOne = """
        UPDATE auth_sessions SET revoked_at = @now, revoked_reason = 'SignedOut' WHERE id = @sessionId AND revoked_at IS NULL
        """;

    /// <summary>Signing out: this session only; the caller forgets the user's cached sessions after it.</summary>
    public static Task<int> SignOutAsync(MySqlConnection connection, long sessionId, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(RevokeOne, new { sessionId, now }, cancellationToken: ct));

    public static Task<int> RevokeAllAsync(MySqlConnection connection, MySqlTransaction transaction, long userId, SessionEndReason reason, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(RevokeAllOfUser, new { userId, reason = reason.ToString(), now }, transaction, cancellationToken: ct));
}
