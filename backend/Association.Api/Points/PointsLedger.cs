using Association.Api.Platform;
using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>
/// The one way points enter or leave a member's account. Every write locks the member's totals row
/// first, so entries of one member are serialised: caps are computed on settled numbers and the
/// totals move in the same transaction as the entry they reflect. Callers pass their transaction,
/// so the work that earns points (a confirmed patrol, say) and its award commit together.
/// The transaction must be READ COMMITTED (<see cref="Isolation"/>): each read then sees what committed
/// while it waited for the member's lock, and InnoDB takes no gap locks on the ledger's unique keys,
/// which under REPEATABLE READ make concurrent awards of different members deadlock.
/// </summary>
public static class PointsLedger
{
    public const System.Data.IsolationLevel Isolation = System.Data.IsolationLevel.ReadCommitted;

    // The insert, or the no-op update of an existing row, leaves the totals row locked exclusively until the
    // transaction ends, so it is the member's lock too. With found rows (MySqlConnector's default) it counts
    // 1 row either way, and 0 when there is no such member.
    private const string LockTotals = """
        INSERT INTO member_point_totals (member_id, balance, updated_at)
        SELECT m.id, 0, @now FROM members m WHERE m.id = @memberId
        ON DUPLICATE KEY UPDATE member_id = member_point_totals.member_id
        """;

    // Shared lock: the ranking job cannot close the quarter while this entry may still land in it, and waits for it.
    // The row is matched by its key alone, so READ COMMITTED keeps the lock whatever the status (it drops locks on
    // rows a WHERE condition turns away).
    private const string ReadQuarterStatus = "SELECT status FROM ranking_quarters WHERE quarter = @quarter LOCK IN SHARE MODE";

    private const string ExistingAward = "SELECT id FROM point_entries WHERE source_kind = @sourceKind AND source_id = @sourceId";

    /// <summary>
    /// Joins <c>r</c>, the version of the rule for the work in force on its day in the sub-district of <c>village</c>
    /// (a grid's parent is a village, a village's the sub-district): the latest that took effect by that day. The work is
    /// the row aliased <c>work</c>, with columns <c>work_kind</c> and <c>work_day</c>, so one award and a batch of them
    /// use the same text. A join with NOT EXISTS, not ORDER BY ... LIMIT 1, so that a batch does not sort once per award.
    /// </summary>
    internal const string RuleInForceOfVillage = """
        point_rules r ON r.sub_district_id = village.parent_id AND r.work_kind = work.work_kind COLLATE utf8mb4_unicode_ci
                     AND r.effective_from <= work.work_day
                     AND NOT EXISTS (SELECT 1 FROM point_rules later
                                      WHERE later.sub_district_id = r.sub_district_id AND later.work_kind = r.work_kind
                                        AND later.effective_from > r.effective_from AND later.effective_from <= work.work_day)
        """;

    private const string RuleInForce = """
        SELECT r.id, r.points_per_unit, r.daily_cap, r.quarterly_cap
          FROM members m
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units village ON village.id = g.parent_id
          CROSS JOIN (SELECT CAST(@workKind AS CHAR(32)) AS work_kind, CAST(@workDay AS DATE) AS work_day) work
          JOIN
        """ + " " + RuleInForceOfVillage + """

         WHERE m.id = @memberId
        """;

    private const string AwardedSoFar = """
        SELECT CAST(COALESCE(SUM(CASE WHEN work_day = @workDay THEN points ELSE 0 END), 0) AS SIGNED) AS today,
               CAST(COALESCE(SUM(points), 0) AS SIGNED) AS this_quarter
          FROM point_entries
         WHERE member_id = @memberId AND work_kind = @workKind AND quarter = @quarter AND entry_kind = 'Award'
        """;

    private const string InsertEntry = """
        INSERT INTO point_entries
            (member_id, entry_kind, points, requested_points, rule_id, work_kind, work_day, source_kind, source_id,
             reverses_entry_id, quarter, year, reason, note, caused_by, created_at)
        VALUES
            (@memberId, @entryKind, @points, @requestedPoints, @ruleId, @workKind, @workDay, @sourceKind, @sourceId,
             @reversesEntryId, @quarter, @year, @reason, @note, @causedBy, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string AddToTotals = """
        UPDATE member_point_totals SET balance = balance + @points, updated_at = @now WHERE member_id = @memberId;
        INSERT INTO member_period_points (member_id, period, points) VALUES (@memberId, @quarter, @points)
        ON DUPLICATE KEY UPDATE points = points + VALUES(points);
        INSERT INTO leaderboard_outbox (quarter, changes, created_at) VALUES (@quarter, JSON_ARRAY(JSON_ARRAY(@memberId, @points)), @now);
        """ + PointNotices.TellOne;

    // Spending moves the balance alone: the quarter's earned points (rankings, boards) stay what the work earned.
    private const string MoveBalance = "UPDATE member_point_totals SET balance = balance + @points, updated_at = @now WHERE member_id = @memberId";

    /// <summary>Entry kinds that move the balance only, never a quarter's earned points.</summary>
    public static bool IsSpending(EntryKind kind) => kind is EntryKind.Redemption or EntryKind.Refund;

    private sealed class Rule
    {
        public long Id { get; init; }
        public int PointsPerUnit { get; init; }
        public int? DailyCap { get; init; }
        public int? QuarterlyCap { get; init; }
    }

    private sealed record SoFar(long Today, long ThisQuarter);

    public sealed record NewEntry(
        long MemberId, EntryKind Kind, int Points, int? RequestedPoints, long? RuleId, WorkKind? WorkKind, DateOnly? WorkDay,
        string? SourceKind, long? SourceId, long? ReversesEntryId, string Quarter, string? Reason, long? CausedBy, string? Note = null);

    /// <summary>Awards the points a piece of work earns, once per source; a cap cuts the award and says so.</summary>
    public static async Task<AwardResult> AwardAsync(MySqlConnection connection, MySqlTransaction transaction,
        long memberId, WorkKind workKind, AwardSourceKind sourceKind, long? sourceId, int units, DateTimeOffset occurredAt,
        long? causedBy, DateTime now, CancellationToken ct, string? note = null)
    {
        if (!await LockMemberAsync(connection, transaction, memberId, now, ct))
        {
            return new AwardResult(AwardDecision.MemberNotFound);
        }
        var workDay = occurredAt.ChinaDay();
        var quarter = Quarter.Of(workDay).ToString();
        var rule = await connection.QuerySingleOrDefaultAsync<Rule>(new CommandDefinition(RuleInForce,
            new { memberId, workKind = workKind.ToString(), workDay = workDay.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        if (rule is null)
        {
            return await ExistingAwardAsync(connection, transaction, sourceKind, sourceId, ct) is { } awarded
                ? new AwardResult(AwardDecision.AlreadyAwarded, awarded)
                : new AwardResult(AwardDecision.UnknownRule);
        }
        // Rules without caps need no sums over the member's earlier awards.
        var soFar = rule.DailyCap is null && rule.QuarterlyCap is null
            ? new SoFar(0, 0)
            : await connection.QuerySingleAsync<SoFar>(new CommandDefinition(AwardedSoFar,
                new { memberId, workKind = workKind.ToString(), workDay = workDay.ToDateTime(TimeOnly.MinValue), quarter }, transaction, cancellationToken: ct));
        var requested = checked(rule.PointsPerUnit * units);
        var (points, reason) = PointCaps.Apply(requested, rule.DailyCap, rule.QuarterlyCap, soFar.Today, soFar.ThisQuarter);
        try
        {
            var id = await InsertAsync(connection, transaction, new NewEntry(memberId, EntryKind.Award, points, requested, rule.Id, workKind, workDay,
                sourceKind.ToString(), sourceId, null, quarter, reason, causedBy, note), now, ct);
            return new AwardResult(AwardDecision.Awarded, id);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // The source was awarded before (the unique key on the source decides, whatever the concurrency);
            // InnoDB undid only the failed statement, the transaction goes on.
            var awarded = await ExistingAwardAsync(connection, transaction, sourceKind, sourceId, ct)
                ?? throw new InvalidOperationException($"A duplicate award of {sourceKind} {sourceId} that is not in the ledger.", ex);
            return new AwardResult(AwardDecision.AlreadyAwarded, awarded);
        }
    }

    private static Task<long?> ExistingAwardAsync(MySqlConnection connection, MySqlTransaction transaction, AwardSourceKind sourceKind, long? sourceId,
        CancellationToken ct) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition(ExistingAward, new { sourceKind = sourceKind.ToString(), sourceId }, transaction, cancellationToken: ct));

    /// <summary>Locks the member's totals (creating them at zero); false when there is no such member.</summary>
    public static async Task<bool> LockMemberAsync(MySqlConnection connection, MySqlTransaction transaction, long memberId, DateTime now, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(LockTotals, new { memberId, now }, transaction, cancellationToken: ct)) > 0;

    /// <summary>
    /// Work of a quarter whose ranking is closing or final counts in the quarter of approval (DOMAIN.md, Time);
    /// <paramref name="workQuarterStatus"/> is read under a shared lock, so the quarter cannot close meanwhile.
    /// </summary>
    internal static string QuarterCountedIn(string workQuarter, string? workQuarterStatus, DateTime now) =>
        workQuarterStatus is nameof(QuarterStatus.Closing) or nameof(QuarterStatus.Final)
            ? Quarter.OfUtc(now).ToString()
            : workQuarter;

    /// <summary>Appends an entry and moves the totals with it. The caller holds the member's lock.</summary>
    public static async Task<long> InsertAsync(MySqlConnection connection, MySqlTransaction transaction, NewEntry entry, DateTime now, CancellationToken ct)
    {
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(ReadQuarterStatus, new { entry.Quarter }, transaction, cancellationToken: ct));
        entry = entry with { Quarter = QuarterCountedIn(entry.Quarter, status, now) };
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertEntry, new
        {
            entry.MemberId,
            entryKind = entry.Kind.ToString(),
            entry.Points,
            entry.RequestedPoints,
            entry.RuleId,
            workKind = entry.WorkKind?.ToString(),
            workDay = entry.WorkDay?.ToDateTime(TimeOnly.MinValue),
            entry.SourceKind,
            entry.SourceId,
            entry.ReversesEntryId,
            entry.Quarter,
            year = Quarter.Parse(entry.Quarter).Year,
            entry.Reason,
            entry.Note,
            entry.CausedBy,
            now,
        }, transaction, cancellationToken: ct));
        if (IsSpending(entry.Kind))
        {
            await connection.ExecuteAsync(new CommandDefinition(MoveBalance, new { entry.MemberId, entry.Points, now }, transaction, cancellationToken: ct));
            return id;
        }
        var parameters = new DynamicParameters(PointNotices.Parameters);
        parameters.AddDynamicParams(new
        {
            entry.MemberId,
            entry.Points,
            entry.Quarter,
            entryId = id,
            workKind = entry.WorkKind?.ToString(),
            entry.Reason,
            now,
        });
        await connection.ExecuteAsync(new CommandDefinition(AddToTotals, parameters, transaction, cancellationToken: ct));
        return id;
    }
}
