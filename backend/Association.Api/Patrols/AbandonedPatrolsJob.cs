using Association.Api.Notifications;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>
/// Every quarter of an hour: patrols still running long after any real patrol would have ended are ended
/// (<see cref="AbandonedPatrols"/>). Each batch is locked and re-checked, so a second run, or a second instance, finds
/// nothing left to end.
/// </summary>
public sealed class AbandonedPatrolsJob(MySqlDataSource db, IOptions<PatrolOptions> options, TimeProvider time)
{
    private const int BatchSize = 500;

    private const string Open = """
        SELECT id FROM patrols WHERE status = 'InProgress' AND started_at < @cutoff ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
        """;

    /// <returns>How many patrols it ended.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cutoff = time.DbUtcNow().AddHours(-options.Value.EndUnfinishedAfterHours);
        var ended = 0;
        while (true)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(Open, new { cutoff, limit = BatchSize }, transaction, cancellationToken: ct))).ToList();
            await AbandonedPatrols.EndAsync(connection, transaction, ids, ct);
            await PatrolNotices.TellAsync(connection, transaction, ids, NotificationKind.PatrolEndedForMember, time.DbUtcNow(), ct);
            await transaction.CommitAsync(ct);
            ended += ids.Count;
            if (ids.Count < BatchSize)
            {
                return ended;
            }
        }
    }
}
