using System.Text.Json;
using Association.Api.Figures;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// Ranks grids (within their village and their sub-district) and villages (within their sub-district) for one run of
/// a quarter, from the monthly figures (refreshed first, without the ledger) and the quarter's member points, which
/// the ledger keeps per member already. A few reads of units-sized results: small next to ranking every member.
/// </summary>
public sealed class UnitRankWriter(MySqlDataSource db, FigureRollup rollup, TimeProvider time)
{
    private const string Grids = """
        SELECT g.id AS grid_id, g.parent_id AS village_id, v.parent_id AS sub_district_id, g.households,
               CAST(COALESCE(SUM(f.patrols), 0) AS SIGNED) AS patrols, CAST(COALESCE(SUM(f.patrols_confirmed), 0) AS SIGNED) AS patrols_confirmed,
               CAST(COALESCE(SUM(f.patrol_minutes), 0) AS SIGNED) AS patrol_minutes,
               CAST(COALESCE(SUM(f.reports_resolved), 0) AS SIGNED) AS reports_resolved,
               CAST(COALESCE(SUM(f.reports_resolved_on_time), 0) AS SIGNED) AS reports_on_time,
               CAST(COALESCE(SUM(f.disputes_resolved), 0) AS SIGNED) AS disputes_resolved,
               CAST(COALESCE(SUM(f.disputes_settled_locally), 0) AS SIGNED) AS disputes_settled_locally,
               CAST(COALESCE(SUM(f.publicity_published), 0) AS SIGNED) AS publicity_published,
               CAST(COALESCE((SELECT l.members_at_end FROM unit_month_figures l WHERE l.unit_id = g.id AND l.month BETWEEN @first AND @last
                               ORDER BY l.month DESC LIMIT 1), 0) AS SIGNED) AS members,
               CAST(COALESCE((SELECT l.insured_at_end FROM unit_month_figures l WHERE l.unit_id = g.id AND l.month BETWEEN @first AND @last
                               ORDER BY l.month DESC LIMIT 1), 0) AS SIGNED) AS insured
          FROM org_units g
          JOIN org_units v ON v.id = g.parent_id
          LEFT JOIN unit_month_figures f ON f.unit_id = g.id AND f.month BETWEEN @first AND @last
         WHERE g.kind = 'Grid'
         GROUP BY g.id, g.parent_id, v.parent_id, g.households
        """;

    private const string Weights = "SELECT sub_district_id, measure, weight FROM unit_ranking_weights WHERE year = @year";

    private const string Insert = """
        INSERT INTO unit_rank_entries (run_id, peer_scope, peer_id, unit_kind, measure, unit_id, value, score, weight, rank_no)
        SELECT @runId, j.peer_scope, j.peer_id, j.unit_kind, j.measure, j.unit_id, j.value, j.score, j.weight, j.rank_no
          FROM JSON_TABLE(@rows, '$[*]' COLUMNS (
                   peer_scope VARCHAR(12) PATH '$[0]', peer_id BIGINT PATH '$[1]', unit_kind VARCHAR(12) PATH '$[2]',
                   measure VARCHAR(32) PATH '$[3]', unit_id BIGINT PATH '$[4]', value DECIMAL(14, 4) PATH '$[5]',
                   score DECIMAL(7, 3) PATH '$[6]', weight INT PATH '$[7]', rank_no INT PATH '$[8]')) j
        """;

    public const string DropRun = "DELETE FROM unit_rank_entries WHERE run_id = @runId";

    private const int BatchSize = 2000;

    public sealed class UnitWork
    {
        public long GridId { get; init; }
        public long VillageId { get; init; }
        public long SubDistrictId { get; init; }
        public long Households { get; set; }
        public long Patrols { get; set; }
        public long PatrolsConfirmed { get; set; }
        public long PatrolMinutes { get; set; }
        public long ReportsResolved { get; set; }
        public long ReportsOnTime { get; set; }
        public long DisputesResolved { get; set; }
        public long DisputesSettledLocally { get; set; }
        public long PublicityPublished { get; set; }
        public long Members { get; set; }
        public long Insured { get; set; }
        public long Points { get; set; }

        public void Add(UnitWork grid)
        {
            Households += grid.Households;
            Patrols += grid.Patrols;
            PatrolsConfirmed += grid.PatrolsConfirmed;
            PatrolMinutes += grid.PatrolMinutes;
            ReportsResolved += grid.ReportsResolved;
            ReportsOnTime += grid.ReportsOnTime;
            DisputesResolved += grid.DisputesResolved;
            DisputesSettledLocally += grid.DisputesSettledLocally;
            PublicityPublished += grid.PublicityPublished;
            Members += grid.Members;
            Insured += grid.Insured;
            Points += grid.Points;
        }

        public decimal Value(UnitMeasure measure) => measure switch
        {
            UnitMeasure.PointsPerMember => Ratio(Points, Members, 1),
            UnitMeasure.Coverage => Ratio(Members, Households, 1000),
            UnitMeasure.PatrolHoursPerMember => Ratio(PatrolMinutes, Members * 60, 1),
            UnitMeasure.ConfirmedPatrolShare => Ratio(PatrolsConfirmed, Patrols, 1000),
            UnitMeasure.ReportsOnTimeShare => Ratio(ReportsOnTime, ReportsResolved, 1000),
            UnitMeasure.DisputesSettledLocallyShare => Ratio(DisputesSettledLocally, DisputesResolved, 1000),
            UnitMeasure.PublicityPublished => PublicityPublished,
            UnitMeasure.InsuranceCover => Ratio(Insured, Members, 1000),
            _ => throw new ArgumentOutOfRangeException(nameof(measure)),
        };

        private static decimal Ratio(long part, long whole, int scale) => whole == 0 ? 0 : Math.Round(part * (decimal)scale / whole, 4);
    }

    /// <param name="pointsByGrid">The quarter's points per grid, as the run ranked its members (<see cref="RankRunWriter"/>).</param>
    /// <param name="final">A final run first refreshes the quarter's figures, so the ranking that stays reads every piece of
    /// work it will ever count; a provisional one reads them as the hourly rollup left them (at :50, before the ranking job's :05).</param>
    public async Task WriteAsync(long runId, string quarterText, IReadOnlyDictionary<long, long> pointsByGrid, bool final, CancellationToken ct)
    {
        var quarter = Quarter.Parse(quarterText);
        var current = FigureRollup.MonthOf(time.Today());
        for (var month = quarter.FirstDay; final && month <= quarter.LastDay && month <= current; month = month.AddMonths(1))
        {
            await rollup.RollUpAsync(month, withLedger: false, ct);
        }
        var args = new
        {
            quarter = quarterText, year = quarter.Year, runId,
            first = quarter.FirstDay.ToDateTime(TimeOnly.MinValue), last = FigureRollup.MonthOf(quarter.LastDay).ToDateTime(TimeOnly.MinValue),
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        var grids = (await connection.QueryAsync<UnitWork>(new CommandDefinition(Grids, args, commandTimeout: 600, cancellationToken: ct))).ToList();
        foreach (var grid in grids)
        {
            grid.Points = pointsByGrid.GetValueOrDefault(grid.GridId);
        }
        var weights = (await connection.QueryAsync<(long SubDistrictId, string Measure, int Weight)>(new CommandDefinition(Weights, args, cancellationToken: ct)))
            .GroupBy(w => w.SubDistrictId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<UnitMeasure, int>)g.ToDictionary(w => Enum.Parse<UnitMeasure>(w.Measure), w => w.Weight));

        var rows = new List<object[]>();
        foreach (var subDistrict in grids.GroupBy(g => g.SubDistrictId))
        {
            var weightsOf = weights.GetValueOrDefault(subDistrict.Key) ?? UnitMeasures.DefaultWeights;
            var villages = subDistrict.GroupBy(g => g.VillageId).Select(v =>
            {
                var total = new UnitWork { GridId = v.Key, VillageId = v.Key, SubDistrictId = subDistrict.Key };
                foreach (var grid in v)
                {
                    total.Add(grid);
                }
                return total;
            }).ToList();
            Rank(rows, "SubDistrict", subDistrict.Key, "Village", villages, weightsOf);
            Rank(rows, "SubDistrict", subDistrict.Key, "Grid", subDistrict.ToList(), weightsOf);
            foreach (var village in subDistrict.GroupBy(g => g.VillageId))
            {
                Rank(rows, "Village", village.Key, "Grid", village.ToList(), weightsOf);
            }
        }
        await using var command = new MySqlCommand(Insert, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("@runId", runId);
        var json = command.Parameters.Add("@rows", MySqlDbType.LongText);
        foreach (var batch in rows.Chunk(BatchSize))
        {
            json.Value = JsonSerializer.Serialize(batch);
            // Another run's delete of its own entries may lock next to these; a batch is one statement, so it is run again.
            await DeadlockRetry.RunAsync(() => command.ExecuteNonQueryAsync(ct));
        }
    }

    /// <summary>Each measure ranked on its own, then the composite of their scores; equal values share a rank (1, 2, 2, 4).</summary>
    private static void Rank(List<object[]> rows, string peerScope, long peerId, string unitKind, IReadOnlyList<UnitWork> units,
        IReadOnlyDictionary<UnitMeasure, int> weights)
    {
        var composite = units.ToDictionary(u => u.GridId, _ => 0m);
        foreach (var measure in UnitMeasures.Parts)
        {
            var values = units.Select(u => (u.GridId, Value: u.Value(measure))).ToList();
            var best = values.Max(v => v.Value);
            var weight = weights.GetValueOrDefault(measure);
            foreach (var (unitId, value) in values)
            {
                var score = best > 0 ? Math.Round(value * 100 / best, 3) : 0;
                composite[unitId] += score * weight / 100;
                rows.Add([peerScope, peerId, unitKind, measure.ToString(), unitId, value, score, weight, 1 + values.Count(v => v.Value > value)]);
            }
        }
        foreach (var (unitId, score) in composite)
        {
            var rounded = Math.Round(score, 3);
            rows.Add([peerScope, peerId, unitKind, nameof(UnitMeasure.Composite), unitId, rounded, rounded, 100,
                1 + composite.Values.Count(s => Math.Round(s, 3) > rounded)]);
        }
    }
}
