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

    public static Task<int> RevokeAllAsync(MySqlConnection connection, MySqlTransaction transaction, long userId, SessionEndReason reason, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(RevokeAllOfUser, new { userId, reason = reason.ToString(), now }, transaction, cancellationToken: ct));
}
