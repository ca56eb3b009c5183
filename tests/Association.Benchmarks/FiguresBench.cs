using System.Diagnostics;
using Dapper;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// The raw baseline of the figures call: what <c>GET /api/figures/{subDistrict}</c> answers for the last twelve months
/// (the sub-district and each village, per China month: members joined and left, patrols, confirmed patrols and hours,
/// reports by kind and state, resolved on time, resolved at each level, points earned), computed by GROUP BY straight
/// from the base tables. It leaves out what would make it slower still (medians, insurance, publicity, stocks at month
/// end), so the ratio flatters the baseline. Each run is timed; the slowest stands for its p99.
/// </summary>
public static class FiguresBench
{
    private const string Units = """
          FROM org_units u
          JOIN org_units g ON g.kind = 'Grid' AND g.path LIKE CONCAT(u.path, '%')
        """;

    private const string InScope = " WHERE (u.id = @subDistrictId OR u.parent_id = @subDistrictId) ";

    private static readonly string[] Statements =
    [
        "SELECT u.id, DATE_FORMAT(m.joined_on, '%Y-%m') AS month, COUNT(*), SUM(m.status = 'Left')" + Units + """
          JOIN members m ON m.grid_id = g.id
        """ + InScope + " AND m.joined_on >= @fromDay AND m.joined_on < @untilDay GROUP BY u.id, month",
        "SELECT u.id, DATE_FORMAT(p.started_at + INTERVAL 8 HOUR, '%Y-%m') AS month, COUNT(*), SUM(p.status = 'Confirmed'), " +
        "SUM(IF(p.status = 'Confirmed', TIMESTAMPDIFF(SECOND, p.started_at, p.finished_at), 0)) / 3600" + Units + """
          JOIN patrols p ON p.grid_id = g.id
        """ + InScope + " AND p.started_at >= @from AND p.started_at < @until GROUP BY u.id, month",
        "SELECT u.id, DATE_FORMAT(r.created_at + INTERVAL 8 HOUR, '%Y-%m') AS month, r.kind, r.status, COUNT(*), " +
        "SUM(r.resolved_at <= r.deadline_at), SUM(r.resolved_level = 'Grid'), SUM(r.resolved_level = 'Village'), SUM(r.resolved_level = 'SubDistrict')" + Units + """
          JOIN grid_reports r ON r.grid_id = g.id
        """ + InScope + " AND r.created_at >= @from AND r.created_at < @until GROUP BY u.id, month, r.kind, r.status",
        "SELECT u.id, DATE_FORMAT(e.created_at + INTERVAL 8 HOUR, '%Y-%m') AS month, SUM(e.points)" + Units + """
          JOIN members m ON m.grid_id = g.id
          JOIN point_entries e ON e.member_id = m.id
        """ + InScope + " AND e.created_at >= @from AND e.created_at < @until AND e.entry_kind IN ('Award', 'Adjustment', 'Reversal') GROUP BY u.id, month",
    ];

    public static async Task<int> RunAsync(string connectionString, long subDistrictId, int runs)
    {
        await using var connection = new MySqlConnection(connectionString + ";Default Command Timeout=3600");
        await connection.OpenAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var args = new
        {
            subDistrictId,
            fromDay = firstMonth.ToDateTime(TimeOnly.MinValue), untilDay = today.AddDays(1).ToDateTime(TimeOnly.MinValue),
            from = firstMonth.ToDateTime(TimeOnly.MinValue).AddHours(-8), until = today.AddDays(1).ToDateTime(TimeOnly.MinValue).AddHours(-8),
        };
        var times = new List<long>();
        for (var run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var rows = 0;
            foreach (var statement in Statements)
            {
                rows += (await connection.QueryAsync(new CommandDefinition(statement, args, commandTimeout: 3600))).Count();
            }
            times.Add(clock.ElapsedMilliseconds);
            Console.WriteLine($"raw_figures_run={run + 1} ms={clock.ElapsedMilliseconds} rows={rows}");
        }
        times.Sort();
        Console.WriteLine($"raw_figures_median_ms={times[times.Count / 2]} raw_figures_p99_ms={times[^1]}");
        return 0;
    }
}
