using System.Text.Json;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Http;
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
/// It is synchronous: the API's writer runs it on a thread of its own over a connection that never does asynchronous
/// I/O, so each answer wakes the writer directly instead of queueing behind requests on the thread pool.
/// </summary>
public static class AwardBatch
{
    // The awards and the rows they write travel as one JSON parameter each, so those statement texts stay constant
    // whatever the batch size; only the lock's member ids and the quarters are expanded lists (one per member, few).
    // String columns are compared with an explicit collation: MySQL 8 gives JSON_TABLE columns utf8mb4_bin.
    // The awards are the rows aliased work, which the shared fragments (the caller's scope, the rule in force) expect.
    private const string AwardsTable = """
        JSON_TABLE(@awards, '$[*]' COLUMNS (
            idx INT PATH '$[0]', caller_id BIGINT PATH '$[1]', member_id BIGINT PATH '$[2]',
            work_kind VARCHAR(32) PATH '$[3]', work_day DATE PATH '$[4]', quarter CHAR(6) PATH '$[5]',
            source_kind VARCHAR(32) PATH '$[6]', source_id BIGINT PATH '$[7]', units INT PATH '$[8]')) work
        """;

    // The first round trip, in this order: find the awards whose Idempotency-Key a committed request holds (their answer
    // stands; they decide nothing), lock every member the awards name (ascending ids, so two batches never wait
    // on each other in a cycle), then read, on settled numbers, each award's access, rule in force, source already
    // awarded and what the member earned so far where the rule has caps, then the work quarters' status (a shared
    // lock, as in PointsLedger). As in PointsLedger, the lock comes before the decision whether an award may go to the
    // member: it reads nothing, and a member it meets for the first time gets the totals row of 0 that stands for no
    // entries. The lock takes the ids as a list, without the awards' JSON or the scope check: the cheapest form.
    private const string Decide = IdempotentWrite.BatchKeysTaken + ";\n" + """
        INSERT INTO member_point_totals (member_id, balance, updated_at)
        SELECT m.id, 0, @now FROM members m WHERE m.id IN @memberIds
         ORDER BY m.id
        ON DUPLICATE KEY UPDATE member_id = member_point_totals.member_id;

        SELECT x.idx, x.existing_id, x.user_id, x.status, x.sees, x.source_ok, x.rule_id, x.points_per_unit, x.daily_cap, x.quarterly_cap,
               CASE WHEN x.daily_cap IS NULL AND x.quarterly_cap IS NULL THEN 0 ELSE (
                   SELECT COALESCE(SUM(e.points), 0) FROM point_entries e
                    WHERE e.member_id = x.member_id AND e.work_kind = x.work_kind AND e.quarter = x.quarter COLLATE utf8mb4_unicode_ci
                      AND e.entry_kind = 'Award' AND e.work_day = x.work_day) END AS today,
               CASE WHEN x.daily_cap IS NULL AND x.quarterly_cap IS NULL THEN 0 ELSE (
                   SELECT COALESCE(SUM(e.points), 0) FROM point_entries e
                    WHERE e.member_id = x.member_id AND e.work_kind = x.work_kind AND e.quarter = x.quarter COLLATE utf8mb4_unicode_ci
                      AND e.entry_kind = 'Award') END AS this_quarter
          FROM (SELECT work.idx, work.member_id, work.work_day, work.quarter, m.user_id, m.status, (
        """ + Scope.WorkCallerSees + """
                       ) AS sees, (
        """ + AwardSources.SourceIsMembersVerifiedWork + """
                       ) AS source_ok,
                       r.id AS rule_id, r.work_kind, r.points_per_unit, r.daily_cap, r.quarterly_cap, done.id AS existing_id
                  FROM
        """ + " " + AwardsTable + """

                  JOIN members m ON m.id = work.member_id
                  JOIN org_units target ON target.id = m.grid_id
                  JOIN org_units village ON village.id = target.parent_id
                  LEFT JOIN
        """ + " " + PointsLedger.RuleInForceOfVillage + """

                  LEFT JOIN point_entries done ON done.source_kind = work.source_kind COLLATE utf8mb4_unicode_ci AND done.source_id = work.source_id) x;

        SELECT q.quarter, q.status FROM ranking_quarters q WHERE q.quarter IN @quarters
          LOCK IN SHARE MODE;
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

    private const string AddToQuarters = """
        INSERT INTO member_period_points (member_id, period, points)
        SELECT j.member_id, j.quarter, j.points
          FROM JSON_TABLE(@quarterTotals, '$[*]' COLUMNS (member_id BIGINT PATH '$[0]', quarter CHAR(6) PATH '$[1]', points INT PATH '$[2]')) j
        ON DUPLICATE KEY UPDATE points = member_period_points.points + VALUES(points)
        """;

    // One row per quarter for the whole batch; its changes travel as a JSON text inside the JSON parameter.
    private const string AddToOutbox = """
        INSERT INTO leaderboard_outbox (quarter, changes, created_at)
        SELECT j.quarter, j.changes, @now
          FROM JSON_TABLE(@changes, '$[*]' COLUMNS (quarter CHAR(6) PATH '$[0]', changes TEXT PATH '$[1]')) j
        """;

    private const string EntriesOfSources = PointEntries.Columns + """

          JOIN JSON_TABLE(@sources, '$[*]' COLUMNS (kind VARCHAR(32) PATH '$[0]', id BIGINT PATH '$[1]')) s
            ON e.source_kind = s.kind COLLATE utf8mb4_unicode_ci AND e.source_id = s.id
        """;

    // Each keyed award's answer, by reference to the entry it made or found (IdempotentWrite.Stored.ResultRef), in the
    // transaction of the entries: a key held meanwhile by another transaction fails the batch on the primary key.
    private const string InsertKeys = """
        INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, status_code, content_type, result_ref, created_at, completed_at)
        SELECT j.caller_id, j.idem_key, UNHEX(j.request_hash), j.status, @contentType, e.id, @now, @now
          FROM JSON_TABLE(@keys, '$[*]' COLUMNS (caller_id BIGINT PATH '$[0]', idem_key VARCHAR(100) PATH '$[1]', request_hash CHAR(64) PATH '$[2]',
                   status INT PATH '$[3]', source_kind VARCHAR(32) PATH '$[4]', source_id BIGINT PATH '$[5]')) j
          JOIN point_entries e ON e.source_kind = j.source_kind COLLATE utf8mb4_unicode_ci AND e.source_id = j.source_id
        """;

    // The second round trip: the entries, what they move, the keys' answers, and the answer of every award that made or found one.
    private const string WriteAndRead = InsertEntries + ";\n" + AddToBalances + ";\n" + AddToQuarters + ";\n" + AddToOutbox + ";\n" + InsertKeys + ";\n"
        + PointNotices.TellBatch + ";\n" + EntriesOfSources;

    /// <summary>The two round trips, either inside the caller's transaction or beginning and committing their own.</summary>
    private sealed record Framing(string Decide, string WriteAndRead, bool Commits);

    private const string DecideInOwnTransaction = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\n" + Decide;

    private const string WriteReadAndCommit = WriteAndRead + ";\nCOMMIT";

    private static readonly Framing InCallersTransaction = new(Decide, WriteAndRead, Commits: false);

    // SET TRANSACTION applies to the next transaction only, so the session keeps whatever isolation it had.
    private static readonly Framing OwnTransaction = new(DecideInOwnTransaction, WriteReadAndCommit, Commits: true);

    private sealed class DecisionRow
    {
        public int Idx { get; init; }
        public long? ExistingId { get; init; }
        public long? UserId { get; init; }
        public string Status { get; init; } = "";
        public bool Sees { get; init; }
        public bool SourceOk { get; init; }
        public long? RuleId { get; init; }
        public int PointsPerUnit { get; init; }
        public int? DailyCap { get; init; }
        public int? QuarterlyCap { get; init; }
        public long Today { get; init; }
        public long ThisQuarter { get; init; }
    }

    private sealed record NewEntry(long MemberId, int Points, int Requested, long RuleId, WorkKind WorkKind, DateOnly WorkDay,
        string Quarter, string? Reason, long CallerId, AwardSourceKind SourceKind, long SourceId);

    /// <summary>
    /// Decides and writes every award of <paramref name="awards"/> in <paramref name="transaction"/> (READ COMMITTED); an
    /// award's Idempotency-Key is answered, in the same transaction, by the entry it made or found.
    /// </summary>
    public static AwardResult[] Run(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<AwardCommand> awards, DateTime now) =>
        Run(connection, transaction, InCallersTransaction, awards, now);

    /// <summary>
    /// As <see cref="Run(MySqlConnection, MySqlTransaction, IReadOnlyList{AwardCommand}, DateTime)"/>,
    /// on a connection with no transaction open: the batch begins its own READ COMMITTED transaction in its first round
    /// trip and commits it in its last, two round trips fewer than a transaction begun and committed apart. If this
    /// throws, the transaction may still be open: roll it back or close the connection.
    /// </summary>
    public static AwardResult[] RunAndCommit(MySqlConnection connection, IReadOnlyList<AwardCommand> awards, DateTime now) =>
        Run(connection, null, OwnTransaction, awards, now);

    private static AwardResult[] Run(MySqlConnection connection, MySqlTransaction? transaction, Framing framing,
        IReadOnlyList<AwardCommand> awards, DateTime now)
    {
        var keyed = Enumerable.Range(0, awards.Count).Where(i => awards[i].Claim is not null).ToList();
        var workDays = awards.Select(a => a.OccurredAt.ChinaDay()).ToArray();
        var workQuarters = workDays.Select(day => Quarter.Of(day).ToString()).ToArray();
        var awardsJson = Json(awards.Select((a, i) => new object[]
            { i, a.CallerId, a.MemberId, a.WorkKind.ToString(), workDays[i], workQuarters[i], a.SourceKind.ToString(), a.SourceId, a.Units }));
        var claims = Json(keyed.Select(i => new object[] { awards[i].Claim!.CallerId, awards[i].Claim!.Key, i }));
        HashSet<int> taken;
        Dictionary<int, DecisionRow> decisions;
        Dictionary<string, string> quarterStatus;
        var decide = new CommandDefinition(framing.Decide, new
        {
            claims, awards = awardsJson, memberIds = awards.Select(a => a.MemberId).Distinct().ToList(), quarters = workQuarters.Distinct().ToList(), now,
        }, transaction);
        using (var read = connection.QueryMultiple(decide))
        {
            taken = [.. read.Read<int>()];
            decisions = read.Read<DecisionRow>().ToDictionary(r => r.Idx);
            quarterStatus = read.Read<(string Quarter, string Status)>().ToDictionary(q => q.Quarter, q => q.Status);
        }

        var results = new AwardResult?[awards.Count];
        var entries = new List<NewEntry>();
        var madeInBatch = new HashSet<(AwardSourceKind Kind, long Id)>();
        var keysInBatch = new HashSet<(long CallerId, string Key)>();
        for (var i = 0; i < awards.Count; i++)
        {
            var award = awards[i];
            var row = decisions.GetValueOrDefault(i);
            // A key a committed request holds, or one an earlier award of this batch carries: that request's answer stands.
            if (award.Claim is { } claim && (taken.Contains(i) || !keysInBatch.Add((claim.CallerId, claim.Key))))
            {
                results[i] = new AwardResult(AwardDecision.KeyTaken);
            }
            else if (row is null)
            {
                results[i] = new AwardResult(AwardDecision.MemberNotFound);
            }
            else if (PointsAccess.Refusal(LedgerWrite.Award, row.Sees, administers: false, row.UserId, row.Status, award.CallerId) is { } refused)
            {
                results[i] = AwardResult.Refused(refused, row.Status);
            }
            // Before the existing entry: a source's entry is only answered to whom the source is the member's own work.
            else if (!row.SourceOk)
            {
                results[i] = new AwardResult(AwardDecision.SourceNotFound);
            }
            // A source awarded before, or earlier in this batch, keeps its entry; one whose earlier award
            // found no rule is tried again, as it would be one award at a time.
            else if (row.ExistingId is not null || madeInBatch.Contains((award.SourceKind, award.SourceId)))
            {
                results[i] = new AwardResult(AwardDecision.AlreadyAwarded);
            }
            else if (row.RuleId is not { } ruleId)
            {
                results[i] = new AwardResult(AwardDecision.UnknownRule);
            }
            else
            {
                madeInBatch.Add((award.SourceKind, award.SourceId));
                var (today, thisQuarter) = (row.Today, row.ThisQuarter);
                // The awards made earlier in this batch count as the committed ones do.
                foreach (var e in entries.Where(e => e.MemberId == award.MemberId && e.WorkKind == award.WorkKind && e.Quarter == workQuarters[i]))
                {
                    thisQuarter += e.Points;
                    today += e.WorkDay == workDays[i] ? e.Points : 0;
                }
                var requested = checked(row.PointsPerUnit * award.Units);
                var (points, reason) = PointCaps.Apply(requested, row.DailyCap, row.QuarterlyCap, today, thisQuarter);
                var quarter = PointsLedger.QuarterCountedIn(workQuarters[i], quarterStatus.GetValueOrDefault(workQuarters[i]), now);
                entries.Add(new NewEntry(award.MemberId, points, requested, ruleId, award.WorkKind, workDays[i], quarter,
                    reason, award.CallerId, award.SourceKind, award.SourceId));
            }
        }

        var answered = Enumerable.Range(0, awards.Count).Where(i => results[i] is null || results[i]!.Decision == AwardDecision.AlreadyAwarded).ToList();
        if (answered.Count > 0)
        {
            // The keys of the awards that made or found an entry; a refused award wrote nothing and keeps no key.
            var keys = answered.Where(i => awards[i].Claim is not null).Select(i => new object[]
            {
                awards[i].Claim!.CallerId, awards[i].Claim!.Key, Convert.ToHexString(awards[i].Claim!.RequestHash),
                results[i] is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, awards[i].SourceKind.ToString(), awards[i].SourceId,
            });
            var rows = WriteAndReadBack(connection, transaction, framing, entries, keys,
                answered.Select(i => (awards[i].SourceKind, awards[i].SourceId)).Distinct(), now);
            var byId = rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First());
            var bySource = rows.GroupBy(r => (Enum.Parse<AwardSourceKind>(r.SourceKind!), r.SourceId!.Value)).ToDictionary(g => g.Key, g => g.First());
            foreach (var i in answered)
            {
                var entry = decisions.GetValueOrDefault(i)?.ExistingId is { } id ? byId[id] : bySource[(awards[i].SourceKind, awards[i].SourceId)];
                results[i] = new AwardResult(results[i]?.Decision ?? AwardDecision.Awarded, entry.Id, entry.ToEntry());
            }
        }
        else if (framing.Commits)
        {
            // Nothing to write, but the first round trip locked members.
            connection.Execute("COMMIT");
        }
        return [.. results.Select(r => r!)];
    }

    private static List<PointEntries.Row> WriteAndReadBack(MySqlConnection connection, MySqlTransaction? transaction, Framing framing,
        List<NewEntry> entries, IEnumerable<object[]> keys, IEnumerable<(AwardSourceKind Kind, long Id)> sources, DateTime now)
    {
        var parameters = new DynamicParameters(PointNotices.Parameters);
        parameters.AddDynamicParams(new
        {
            entries = Json(entries.Select(e => new object?[]
            {
                e.MemberId, e.Points, e.Requested, e.RuleId, e.WorkKind.ToString(), e.WorkDay, e.SourceKind.ToString(), e.SourceId,
                e.Quarter, Quarter.Parse(e.Quarter).Year, e.Reason, e.CallerId,
            })),
            balances = Json(entries.GroupBy(e => e.MemberId).Select(g => new object[] { g.Key, g.Sum(e => e.Points) })),
            quarterTotals = Json(entries.GroupBy(e => (e.MemberId, e.Quarter)).Select(g => new object[] { g.Key.MemberId, g.Key.Quarter, g.Sum(e => e.Points) })),
            changes = Json(entries.GroupBy(e => e.Quarter).Select(quarter => new object[]
            {
                quarter.Key, Json(quarter.GroupBy(e => e.MemberId).Select(g => new long[] { g.Key, g.Sum(e => e.Points) })),
            })),
            sources = Json(sources.Select(s => new object[] { s.Kind.ToString(), s.Id })),
            keys = Json(keys),
            contentType = IdempotentWrite.ContentType,
            now,
        });
        return connection.Query<PointEntries.Row>(new CommandDefinition(framing.WriteAndRead, parameters, transaction)).ToList();
    }

    private static string Json<T>(IEnumerable<T> rows) => JsonSerializer.Serialize(rows);
}
