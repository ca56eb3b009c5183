using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// Recomputes the running quarter's provisional ranking, and the previous quarter's until its grace
/// period is over, when it computes it a last time and marks it final. Each computation is a new run
/// that becomes visible in one UPDATE, and only if no newer run is visible already, so runs that
/// overlap or are killed halfway never show a partial or an older ranking. A final quarter is left alone.
/// </summary>
public sealed class RankingsJob(MySqlDataSource db, RankRunWriter ranks, UnitRankWriter unitRanks, LeaderboardRebuilder leaderboards, IOptions<RankingOptions> options, TimeProvider time)
{
    private const string StartRun = "INSERT INTO ranking_runs (quarter, started_at) VALUES (@quarter, @now); SELECT LAST_INSERT_ID();";

    private const string ReadQuarterStatus = "SELECT status FROM ranking_quarters WHERE quarter = @quarter";

    private const string LockQuarter = "SELECT status, current_run FROM ranking_quarters WHERE quarter = @quarter FOR UPDATE";

    private const string InsertQuarter = """
        INSERT INTO ranking_quarters (quarter, status, current_run, computed_at, finalised_at)
        VALUES (@quarter, @status, @runId, @now, @finalisedAt)
        """;

    // A provisional run published after the quarter closed keeps it closed.
    private const string PublishRun = """
        UPDATE ranking_quarters
           SET current_run = @runId, status = CASE WHEN @status = 'Final' THEN 'Final' ELSE status END,
               computed_at = @now, finalised_at = @finalisedAt
         WHERE quarter = @quarter AND status <> 'Final' AND current_run < @runId
        """;

    // Waits for entries that may still land in the quarter (they hold a shared lock on its row), then turns new ones
    // away to the quarter they are made in; the final run reads after this commits, so it sees every point.
    private const string CloseQuarter = "UPDATE ranking_quarters SET status = 'Closing' WHERE quarter = @quarter AND status = 'Provisional'";

    // Runs older than the visible one are never shown again.
    private const string SupersededRuns = "SELECT id FROM ranking_runs WHERE quarter = @quarter AND id < @visible";

    // Partitions whose run row is gone: a run superseded before it had added its partition, then killed.
    // information_schema may miss a partition being added meanwhile; that run then drops its own.
    private const string OrphanPartitions = """
        SELECT CAST(SUBSTRING(p.partition_name, 2) AS SIGNED)
          FROM information_schema.partitions p
         WHERE p.table_schema = DATABASE() AND p.table_name = 'member_ranks' AND p.partition_name <> 'r0'
           AND NOT EXISTS (SELECT 1 FROM ranking_runs rr WHERE rr.id = CAST(SUBSTRING(p.partition_name, 2) AS SIGNED))
        """;

    private const string DropRun = "DELETE FROM ranking_runs WHERE id = @runId";

    private const string VisibleRun = "SELECT current_run FROM ranking_quarters WHERE quarter = @quarter";

    private sealed record QuarterRow(string Status, long CurrentRun);

    public async Task RunAsync(CancellationToken ct)
    {
        var today = time.Today();
        var current = Quarter.Of(today);
        var graceOver = today > current.FirstDay.AddDays(options.Value.GraceDays - 1);
        await ComputeAsync(current.Previous.ToString(), finalise: graceOver, ct);
        await ComputeAsync(current.ToString(), finalise: false, ct);
        try
        {
            // Live boards drift only if a publisher pass died halfway; a regular rebuild puts them right.
            await leaderboards.RebuildAsync(current.ToString(), ct);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Redis is down or too slow: the boards answer from MariaDB meanwhile, and the next run rebuilds them.
        }
    }

    /// <summary>Computes one quarter; returns false when it is final already and was left alone.</summary>
    public async Task<bool> ComputeAsync(string quarter, bool finalise, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(ReadQuarterStatus, new { quarter }, cancellationToken: ct)) == nameof(QuarterStatus.Final))
        {
            return false;
        }
        if (finalise)
        {
            if (await connection.ExecuteAsync(new CommandDefinition(CloseQuarter, new { quarter }, cancellationToken: ct)) == 0
                && await connection.ExecuteScalarAsync<string?>(new CommandDefinition(ReadQuarterStatus, new { quarter }, cancellationToken: ct)) is null)
            {
                // Never ranked yet: rank it once so there is a row to close, then close it.
                await ComputeAsync(quarter, finalise: false, ct);
                await connection.ExecuteAsync(new CommandDefinition(CloseQuarter, new { quarter }, cancellationToken: ct));
            }
        }
        var runId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(StartRun, new { quarter, now }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RunPartitions.Add(runId), cancellationToken: ct));
        try
        {
            var pointsByGrid = await ranks.WriteAsync(runId, quarter, ct);
            await unitRanks.WriteAsync(runId, quarter, pointsByGrid, finalise, ct);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoPartitionForGivenValue)
        {
            // A newer run was published meanwhile and dropped this one, which could never be shown anyway.
            return true;
        }

        var status = (finalise ? QuarterStatus.Final : QuarterStatus.Provisional).ToString();
        var args = new { quarter, runId, status, now, finalisedAt = finalise ? now : (DateTime?)null };
        for (var attempt = 1; !await TryPublishAsync(connection, args, finalise ? (quarter, runId, now) : null, ct); attempt++)
        {
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Run {runId} of {quarter} deadlocked three times while publishing.");
            }
        }
        var visible = await connection.ExecuteScalarAsync<long>(new CommandDefinition(VisibleRun, args, cancellationToken: ct));
        if (visible != runId)
        {
            // A newer run, or a final one, won: this run is never shown. Another run's cleanup may have
            // dropped its row before this run added its partition, so it drops its own.
            await DropRunAsync(connection, runId, ct);
        }
        foreach (var superseded in await connection.QueryAsync<long>(new CommandDefinition(SupersededRuns, new { quarter, visible }, cancellationToken: ct)))
        {
            await DropRunAsync(connection, superseded, ct);
        }
        foreach (var orphan in await connection.QueryAsync<long>(new CommandDefinition(OrphanPartitions, cancellationToken: ct)))
        {
            await RunPartitions.DropAsync(connection, orphan, ct);
        }
        return true;
    }

    /// <summary>
    /// False when MariaDB chose this transaction as a deadlock victim: two first runs of a quarter both lock
    /// the missing row's gap, then both insert. The loser rolls back and tries again, now as a later run.
    /// </summary>
    /// <param name="final">The run being published final, whose members are told their rank in the same transaction.</param>
    private static async Task<bool> TryPublishAsync(MySqlConnection connection, object args, (string Quarter, long RunId, DateTime Now)? final,
        CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            var existing = await connection.QuerySingleOrDefaultAsync<QuarterRow>(new CommandDefinition(LockQuarter, args, transaction, cancellationToken: ct));
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(existing is null ? InsertQuarter : PublishRun, args, transaction, cancellationToken: ct));
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                // A concurrent first run created the quarter meanwhile: publish over it like any later run.
                await connection.ExecuteAsync(new CommandDefinition(PublishRun, args, transaction, cancellationToken: ct));
            }
            if (final is { } run)
            {
                await RankingNotices.TellAsync(connection, transaction, run.Quarter, run.RunId, run.Now, ct);
            }
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.LockDeadlock)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
    }

    /// <summary>Partition first: a run row without a partition is harmless, a partition without its row is an orphan.</summary>
    private static async Task DropRunAsync(MySqlConnection connection, long runId, CancellationToken ct)
    {
        await RunPartitions.DropAsync(connection, runId, ct);
        // A delete's next-key locks can meet another run's inserts of unit ranks next to them; a deleted run is deleted again.
        await DeadlockRetry.RunAsync(() => connection.ExecuteAsync(new CommandDefinition(UnitRankWriter.DropRun, new { runId }, cancellationToken: ct)));
        await DeadlockRetry.RunAsync(() => connection.ExecuteAsync(new CommandDefinition(DropRun, new { runId }, cancellationToken: ct)));
    }
}
