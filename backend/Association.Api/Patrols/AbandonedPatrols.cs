using Dapper;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>
/// Ends patrols nobody finished: at their last point, flagged <see cref="PatrolFlag.NotFinishedByMember"/>, so they go
/// to the leader like any finished patrol, and every participant may patrol again.
/// </summary>
public static class AbandonedPatrols
{
    private const string End = """
        UPDATE patrols p
           SET p.status = 'Finished',
               p.finished_at = COALESCE((SELECT MAX(c.at) FROM patrol_checkins c WHERE c.patrol_id = p.id), p.started_at),
               p.flags = CASE WHEN p.flags IS NULL OR p.flags = '' THEN 'NotFinishedByMember' ELSE CONCAT(p.flags, ',NotFinishedByMember') END
         WHERE p.id IN @ids AND p.status = 'InProgress';
        UPDATE patrol_members SET in_progress_marker = NULL WHERE patrol_id IN @ids;
        """;

    public static Task EndAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        ids.Count == 0 ? Task.CompletedTask : connection.ExecuteAsync(new CommandDefinition(End, new { ids }, transaction, cancellationToken: ct));
}
