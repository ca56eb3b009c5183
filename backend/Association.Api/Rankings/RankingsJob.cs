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
public sealed class RankingsJob(MySqlDataSource db, LeaderboardRebuilder leaderboards, IOptions<RankingOptions> options, TimeProvider time)
{
    private const string StartRun = "INSERT INTO ranking_runs (quarter, started_at) VALUES (@quarter, @now); SELECT LAST_INSERT_ID();";

    private const string QuarterStatus = "SELECT status FROM ranking_quarters WHERE quarter = @quarter";

    // One statement per scope: RANK() shares ranks on equal points, ROW_NUMBER() orders ties by member id.
    // Members count when active, or when they have points in the quarter whatever their status now.
    private const string RankMembers = """
        INSERT INTO member_rankings (run_id, scope_kind, scope_id, member_id, points, rank_no, position)
        SELECT @runId, @scopeKind, ranked.scope_id, ranked.member_id, ranked.points,
               RANK() OVER (PARTITION BY ranked.scope_id ORDER BY ranked.points DESC),
               ROW_NUMBER() OVER (PARTITION BY ranked.scope_id ORDER BY ranked.points DESC, ranked.member_id)
          FROM (SELECT CASE @scopeKind WHEN 'Grid' THEN g.id WHEN 'Village' THEN v.id ELSE s.id END AS scope_id,
                       m.id AS member_id, COALESCE(pp.points, 0) AS points
                  FROM members m
                  JOIN org_units g ON g.id = m.grid_id
                  JOIN org_units v ON v.id = g.parent_id
                  JOIN org_units s ON s.id = v.parent_id
                  LEFT JOIN member_period_points pp ON pp.member_id = m.id AND pp.period = @quarter
                 WHERE m.status = 'Active' OR COALESCE(pp.points, 0) <> 0) ranked
        """;

    private const string LockQuarter = "SELECT status, current_run FROM ranking_quarters WHERE quarter = @quarter FOR UPDATE";

    private const string InsertQuarter = """
        INSERT INTO ranking_quarters (quarter, status, current_run, computed_at, finalised_at)
        VALUES (@quarter, @status, @runId, @now, @finalisedAt)
        """;

    private const string PublishRun = """
        UPDATE ranking_quarters SET current_run = @runId, status = @status, computed_at = @now, finalised_at = @finalisedAt
         WHERE quarter = @quarter AND status = 'Provisional' AND current_run < @runId
        """;

    // Runs older than the visible one are never shown again.
    private const string DropOldRuns = """
        DELETE FROM member_rankings WHERE run_id IN (SELECT id FROM ranking_runs WHERE quarter = @quarter AND id < @visible);
        DELETE FROM ranking_runs WHERE quarter = @quarter AND id < @visible;
        """;

    private const string VisibleRun = "SELECT current_run FROM ranking_quarters WHERE quarter = @quarter";

    private sealed record QuarterRow(string Status, long CurrentRun);

    public async Task RunAsync(CancellationToken ct)
    {
        var today = time.Today();
        var current = ChinaTime.QuarterOf(today);
        var previousStart = Quarters.Start(current).AddMonths(-3);
        var previous = ChinaTime.QuarterOf(previousStart);
        var graceOver = today > Quarters.Start(current).AddDays(options.Value.GraceDays - 1);
        await ComputeAsync(previous, finalise: graceOver, ct);
        await ComputeAsync(current, finalise: false, ct);
        try
        {
            // Live boards drift only if a publisher pass died halfway; a regular rebuild puts them right.
            await leaderboards.RebuildAsync(current, ct);
        }
        catch (StackExchange.Redis.RedisException)
        {
            // Redis is down: the boards answer from MariaDB meanwhile, and the next run rebuilds them.
        }
    }

    /// <summary>Computes one quarter; returns false when it is final already and was left alone.</summary>
    public async Task<bool> ComputeAsync(string quarter, bool finalise, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(QuarterStatus, new { quarter }, cancellationToken: ct)) == "Final")
        {
            return false;
        }
        var runId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(StartRun, new { quarter, now }, cancellationToken: ct));
        foreach (var scope in Enum.GetNames<RankingScope>())
        {
            await connection.ExecuteAsync(new CommandDefinition(RankMembers, new { runId, scopeKind = scope, quarter }, commandTimeout: 600, cancellationToken: ct));
        }

        var status = finalise ? "Final" : "Provisional";
        var args = new { quarter, runId, status, now, finalisedAt = finalise ? now : (DateTime?)null };
        await using (var transaction = await connection.BeginTransactionAsync(ct))
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
            await transaction.CommitAsync(ct);
        }
        var visible = await connection.ExecuteScalarAsync<long>(new CommandDefinition(VisibleRun, args, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(DropOldRuns, new { quarter, visible }, commandTimeout: 600, cancellationToken: ct));
        return true;
    }
}

public static class Quarters
{
    public static bool IsValid(string? quarter) =>
        quarter is { Length: 6 } q && q[4] == 'Q' && q[5] is >= '1' and <= '4' && int.TryParse(q[..4], out var year) && year is >= 2000 and <= 2100;

    public static DateOnly Start(string quarter) => new(int.Parse(quarter[..4], System.Globalization.CultureInfo.InvariantCulture), (quarter[5] - '1') * 3 + 1, 1);
}
