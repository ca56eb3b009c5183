using System.Text.Json;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>
/// Several API awards in one transaction: each step is one set-based statement for the whole batch instead of
/// one per award, and the batch pays for one durable commit. The decisions are those <see cref="PointsLedger.AwardAsync"/>
/// makes one award at a time, taken in the order the awards arrived: the caller's scope, the rule in force on the
/// day of the work, caps that count the awards earlier in the batch, one entry per source, the quarter of approval
/// once the work's quarter is closing. A batch that fails (a source awarded meanwhile by another transaction, a
/// deadlock) is rolled back whole, and the caller makes its awards one at a time.
/// </summary>
public static class AwardBatch
{
    // Lists travel as one JSON parameter each, so statement texts stay constant whatever the batch size.
    // String columns are compared with an explicit collation: MySQL 8 gives JSON_TABLE columns utf8mb4_bin.
    private const string AccessAndRulesTemplate = """
        SELECT x.idx, x.user_id, x.status, x.sees, r.id AS rule_id, r.points_per_unit, r.daily_cap, r.quarterly_cap
          FROM (SELECT a.idx, m.user_id, m.status, (
        """ + Scope.Sees + """
                       ) AS sees,
                       (SELECT rule.id
                          FROM org_units s
                          JOIN point_rules rule ON rule.sub_district_id = s.id
                         WHERE target.path LIKE CONCAT(s.path, '%') AND s.kind = 'SubDistrict'
                           AND rule.work_kind = a.work_kind COLLATE utf8mb4_unicode_ci AND rule.effective_from <= a.work_day
                         ORDER BY rule.effective_from DESC
                         LIMIT 1) AS rule_id
                  FROM JSON_TABLE(@awards, '$[*]' COLUMNS (
                           idx INT PATH '$[0]', caller_id BIGINT PATH '$[1]', member_id BIGINT PATH '$[2]',
                           work_kind VARCHAR(32) PATH '$[3]', work_day DATE PATH '$[4]')) a
                  JOIN members m ON m.id = a.member_id
                  JOIN org_units target ON target.id = m.grid_id) x
          LEFT JOIN point_rules r ON r.id = x.rule_id
        """;

    // Scope's fragments name the caller @callerId; in a batch every award carries its own caller.
    private static readonly string AccessAndRules = AccessAndRulesTemplate.Replace("@callerId", "a.caller_id", StringComparison.Ordinal);

    // Members in ascending id order, so two batches never wait on each other's members in a cycle.
    private const string LockMembers = """
        INSERT INTO member_point_totals (member_id, balance, updated_at)
        SELECT j.id, 0, @now FROM JSON_TABLE(@members, '$[*]' COLUMNS (id BIGINT PATH '$')) j
        ON DUPLICATE KEY UPDATE member_id = member_point_totals.member_id
        """;

    // As in PointsLedger: a shared lock on each work quarter's row keeps the ranking job from closing it under us.
    private const string QuarterStatuses = """
        SELECT q.quarter, q.status
          FROM JSON_TABLE(@quarters, '$[*]' COLUMNS (quarter CHAR(6) PATH '$')) j
          JOIN ranking_quarters q ON q.quarter = j.quarter COLLATE utf8mb4_unicode_ci
          LOCK IN SHARE MODE
        """;

    private const string AwardedSources = """
        SELECT s.idx, e.id
          FROM JSON_TABLE(@sources, '$[*]' COLUMNS (idx INT PATH '$[0]', kind VARCHAR(32) PATH '$[1]', id BIGINT PATH '$[2]')) s
          JOIN point_entries e ON e.source_kind = s.kind COLLATE utf8mb4_unicode_ci AND e.source_id = s.id
        """;

    private const string AwardedSoFar = """
        SELECT c.idx,
               CAST(COALESCE(SUM(CASE WHEN e.work_day = c.work_day THEN e.points ELSE 0 END), 0) AS SIGNED) AS today,
               CAST(COALESCE(SUM(e.points), 0) AS SIGNED) AS this_quarter
          FROM JSON_TABLE(@capped, '$[*]' COLUMNS (
                   idx INT PATH '$[0]', member_id BIGINT PATH '$[1]', work_kind VARCHAR(32) PATH '$[2]',
                   work_day DATE PATH '$[3]', quarter CHAR(6) PATH '$[4]')) c
          LEFT JOIN point_entries e
                 ON e.member_id = c.member_id AND e.work_kind = c.work_kind COLLATE utf8mb4_unicode_ci
                AND e.quarter = c.quarter COLLATE utf8mb4_unicode_ci AND e.entry_kind = 'Award'
         GROUP BY c.idx
        """;

    private const string InsertEntries = """
        INSERT INTO point_entries
            (member_id, entry_kind, points, requested_points, rule_id, work_kind, work_day, source_kind, source_id,
             quarter, year, reason, caused_by, created_at)
        SELECT j.member_id, 'Award', j.points, j.requested_points, j.rule_id, j.work_kind, j.work_day, j.source_kind, j.source_id,
               j.quarter, j.year, j.reason, j.caused_by, @now
          FROM JSON_TABLE(@entries, '$[*]' COLUMNS (
                   member_id BIGINT PATH '$[0]', points INT PATH '$[1]', requested_points INT PATH '$[2]', rule_id BIGINT PATH '$[3]',
                   work_kind VARCHAR(32) PATH '$[4]', work_day DATE PATH '$[5]', source_kind VARCHAR(32) PATH '$[6]',
                   source_id BIGINT PATH '$[7]', quarter CHAR(6) PATH '$[8]', year SMALLINT PATH '$[9]',
                   reason VARCHAR(200) PATH '$[10]', caused_by BIGINT PATH '$[11]')) j
        """;

    private const string AddToBalances = """
        UPDATE member_point_totals t
          JOIN JSON_TABLE(@balances, '$[*]' COLUMNS (member_id BIGINT PATH '$[0]', points INT PATH '$[1]')) j ON j.member_id = t.member_id
           SET t.balance = t.balance + j.points, t.updated_at = @now
        """;

    private const string AddToPeriods = """
        INSERT INTO member_period_points (member_id, period, points)
        SELECT j.member_id, j.period, j.points
          FROM JSON_TABLE(@periods, '$[*]' COLUMNS (member_id BIGINT PATH '$[0]', period VARCHAR(6) PATH '$[1]', points INT PATH '$[2]')) j
        ON DUPLICATE KEY UPDATE points = member_period_points.points + VALUES(points)
        """;

    private const string AddToOutbox = """
        INSERT INTO leaderboard_outbox (member_id, quarter, points, created_at)
        SELECT j.member_id, j.quarter, j.points, @now
          FROM JSON_TABLE(@changes, '$[*]' COLUMNS (member_id BIGINT PATH '$[0]', quarter CHAR(6) PATH '$[1]', points INT PATH '$[2]')) j
        """;

    private const string EntriesOfSources = PointStatementsApi.EntryColumns + """

          JOIN JSON_TABLE(@sources, '$[*]' COLUMNS (kind VARCHAR(32) PATH '$[0]', id BIGINT PATH '$[1]')) s
            ON e.source_kind = s.kind COLLATE utf8mb4_unicode_ci AND e.source_id = s.id
        """;

    private sealed class AccessRow
    {
        public int Idx { get; init; }
        public long? UserId { get; init; }
        public string Status { get; init; } = "";
        public bool Sees { get; init; }
        public long? RuleId { get; init; }
        public int PointsPerUnit { get; init; }
        public int? DailyCap { get; init; }
        public int? QuarterlyCap { get; init; }
    }

    private sealed record SoFarRow(int Idx, long Today, long ThisQuarter);

    private sealed record NewEntry(int Idx, long MemberId, int Points, int Requested, long RuleId, WorkKind WorkKind, DateOnly WorkDay,
        string WorkQuarter, string Quarter, string? Reason, long CallerId, string SourceKind, long SourceId);

    /// <summary>Decides and writes every award of <paramref name="awards"/> in <paramref name="transaction"/> (READ COMMITTED).</summary>
    public static async Task<AwardResult[]> RunAsync(MySqlConnection connection, MySqlTransaction transaction,
        IReadOnlyList<AwardCommand> awards, DateTime now, CancellationToken ct)
    {
        var results = new AwardResult?[awards.Count];
        var workDays = awards.Select(a => a.OccurredAt.ChinaDay()).ToArray();
        var access = (await QueryAsync<AccessRow>(connection, transaction, AccessAndRules, new
        {
            awards = Json(awards.Select((a, i) => new object[] { i, a.CallerId, a.MemberId, a.WorkKind.ToString(), workDays[i] })),
        }, ct)).ToDictionary(r => r.Idx);

        var eligible = new List<int>();
        for (var i = 0; i < awards.Count; i++)
        {
            results[i] = !access.TryGetValue(i, out var row) || !row.Sees ? new AwardResult(AwardDecision.MemberNotFound)
                : row.UserId == awards[i].CallerId ? new AwardResult(AwardDecision.OwnAccount)
                : row.Status != "Active" ? new AwardResult(AwardDecision.MemberNotActive, MemberStatus: row.Status)
                : null;
            if (results[i] is null)
            {
                eligible.Add(i);
            }
        }
        if (eligible.Count == 0)
        {
            return [.. results.Select(r => r!)];
        }

        await ExecuteAsync(connection, transaction, LockMembers,
            new { members = Json(eligible.Select(i => awards[i].MemberId).Distinct().Order()), now }, ct);
        var workQuarters = eligible.ToDictionary(i => i, i => ChinaTime.QuarterOf(workDays[i]));
        var closed = (await QueryAsync<(string Quarter, string Status)>(connection, transaction, QuarterStatuses,
                new { quarters = Json(workQuarters.Values.Distinct()) }, ct))
            .Where(q => q.Status is "Closing" or "Final").Select(q => q.Quarter).ToHashSet();
        var approvalQuarter = ChinaTime.QuarterOf(new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)).ChinaDay());
        var existing = (await QueryAsync<(int Idx, long Id)>(connection, transaction, AwardedSources,
                new { sources = Json(eligible.Select(i => new object[] { i, awards[i].SourceKind, awards[i].SourceId })) }, ct))
            .ToDictionary(r => r.Idx, r => r.Id);
        var capped = eligible.Where(i => access[i].RuleId is not null && (access[i].DailyCap is not null || access[i].QuarterlyCap is not null)).ToList();
        var soFar = capped.Count == 0 ? [] : (await QueryAsync<SoFarRow>(connection, transaction, AwardedSoFar, new
        {
            capped = Json(capped.Select(i => new object[] { i, awards[i].MemberId, awards[i].WorkKind.ToString(), workDays[i], workQuarters[i] })),
        }, ct)).ToDictionary(r => r.Idx);

        var entries = new List<NewEntry>();
        var madeInBatch = new HashSet<(string Kind, long Id)>();
        foreach (var i in eligible)
        {
            var award = awards[i];
            var rule = access[i];
            // A source awarded before, or earlier in this batch, keeps its entry; one whose earlier award
            // found no rule is tried again, as it would be one award at a time.
            if (existing.ContainsKey(i) || madeInBatch.Contains((award.SourceKind, award.SourceId)))
            {
                results[i] = new AwardResult(AwardDecision.AlreadyAwarded);
                continue;
            }
            if (rule.RuleId is not { } ruleId)
            {
                results[i] = new AwardResult(AwardDecision.UnknownRule);
                continue;
            }
            madeInBatch.Add((award.SourceKind, award.SourceId));
            var requested = checked(rule.PointsPerUnit * award.Units);
            var today = soFar.GetValueOrDefault(i)?.Today ?? 0;
            var thisQuarter = soFar.GetValueOrDefault(i)?.ThisQuarter ?? 0;
            // The awards made earlier in this batch count as the committed ones do in AwardedSoFar.
            foreach (var e in entries.Where(e => e.MemberId == award.MemberId && e.WorkKind == award.WorkKind && e.Quarter == workQuarters[i]))
            {
                thisQuarter += e.Points;
                today += e.WorkDay == workDays[i] ? e.Points : 0;
            }
            var (points, reason) = PointCaps.Apply(requested, rule.DailyCap, rule.QuarterlyCap, today, thisQuarter);
            var quarter = closed.Contains(workQuarters[i]) ? approvalQuarter : workQuarters[i];
            entries.Add(new NewEntry(i, award.MemberId, points, requested, ruleId, award.WorkKind, workDays[i], workQuarters[i], quarter,
                reason, award.CallerId, award.SourceKind, award.SourceId));
        }

        if (entries.Count > 0)
        {
            await WriteAsync(connection, transaction, entries, now, ct);
        }
        await ReadEntriesAsync(connection, transaction, awards, eligible, results, existing, ct);
        return [.. results.Select(r => r!)];
    }

    private static async Task WriteAsync(MySqlConnection connection, MySqlTransaction transaction, List<NewEntry> entries, DateTime now, CancellationToken ct)
    {
        await ExecuteAsync(connection, transaction, InsertEntries, new
        {
            entries = Json(entries.Select(e => new object?[]
            {
                e.MemberId, e.Points, e.Requested, e.RuleId, e.WorkKind.ToString(), e.WorkDay, e.SourceKind, e.SourceId,
                e.Quarter, int.Parse(e.Quarter[..4], System.Globalization.CultureInfo.InvariantCulture), e.Reason, e.CallerId,
            })),
            now,
        }, ct);
        await ExecuteAsync(connection, transaction, AddToBalances, new
        {
            balances = Json(entries.GroupBy(e => e.MemberId).Select(g => new object[] { g.Key, g.Sum(e => e.Points) })),
            now,
        }, ct);
        var periods = entries.SelectMany(e => new[] { (e.MemberId, Period: e.Quarter, e.Points), (e.MemberId, Period: e.Quarter[..4], e.Points) })
            .GroupBy(p => (p.MemberId, p.Period)).Select(g => new object[] { g.Key.MemberId, g.Key.Period, g.Sum(p => p.Points) });
        await ExecuteAsync(connection, transaction, AddToPeriods, new { periods = Json(periods) }, ct);
        var changes = entries.GroupBy(e => (e.MemberId, e.Quarter)).Select(g => new object[] { g.Key.MemberId, g.Key.Quarter, g.Sum(e => e.Points) });
        await ExecuteAsync(connection, transaction, AddToOutbox, new { changes = Json(changes), now }, ct);
    }

    /// <summary>Fills the answer of every award that made or found an entry, as the statement shows it.</summary>
    private static async Task ReadEntriesAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<AwardCommand> awards,
        List<int> eligible, AwardResult?[] results, Dictionary<int, long> existing, CancellationToken ct)
    {
        var wanted = eligible.Where(i => results[i] is null || results[i]!.Decision == AwardDecision.AlreadyAwarded).ToList();
        if (wanted.Count == 0)
        {
            return;
        }
        var rows = (await QueryAsync<PointStatementsApi.EntryRow>(connection, transaction, EntriesOfSources,
            new { sources = Json(wanted.Select(i => (awards[i].SourceKind, awards[i].SourceId)).Distinct().Select(s => new object[] { s.SourceKind, s.SourceId })) }, ct)).ToList();
        var byId = rows.ToDictionary(r => r.Id);
        var bySource = rows.Where(r => r.SourceKind is not null).GroupBy(r => (r.SourceKind!, r.SourceId!.Value)).ToDictionary(g => g.Key, g => g.First());
        foreach (var i in wanted)
        {
            var row = existing.TryGetValue(i, out var id) ? byId[id] : bySource[(awards[i].SourceKind, awards[i].SourceId)];
            results[i] = new AwardResult(results[i]?.Decision ?? AwardDecision.Awarded, row.ToEntry());
        }
    }

    private static string Json<T>(IEnumerable<T> rows) => JsonSerializer.Serialize(rows);

    private static Task<IEnumerable<T>> QueryAsync<T>(MySqlConnection connection, MySqlTransaction transaction, string sql, object args, CancellationToken ct) =>
        connection.QueryAsync<T>(new CommandDefinition(sql, args, transaction, cancellationToken: ct));

    private static Task<int> ExecuteAsync(MySqlConnection connection, MySqlTransaction transaction, string sql, object args, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
}
