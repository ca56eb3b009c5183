using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>An event's organisers: whoever holds a role on its unit or above (its grid leader, the village or sub-district admins).</summary>
internal static class EventOrganiser
{
    private const string Organises = "SELECT COUNT(*) FROM events e JOIN org_units target ON target.id = e.unit_id WHERE e.id = @id AND " + Scope.Sees;

    internal static async Task<bool> IsOrganiserAsync(MySqlConnection connection, MySqlTransaction? transaction, long id, long callerId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(Organises, new { id, callerId }, transaction, cancellationToken: ct)) > 0;
}
