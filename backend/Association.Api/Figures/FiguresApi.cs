using Association.Api.GridReports;
using Association.Api.Members;
using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Figures;

/// <summary>
/// Figures over time for a unit in the caller's scope and each of its children, per month or quarter, read from the
/// monthly rollup (<see cref="FigureRollup"/>): one call draws a chart, whatever the size of the unit.
/// </summary>
public static class FiguresApi
{
    public const int MaxMonths = 36;

    public static RouteGroupBuilder MapFiguresApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{unitId}", GetFigures)
            .WithSummary("A unit's figures and its children's, per month or quarter, from one month to another (at most 36 months)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private const string UnitInScope = "SELECT target.id FROM org_units target WHERE target.id = @unitId AND " + Scope.Sees;

    // The unit and its children, each with its subtree's households.
    private const string Units = """
        SELECT u.id, u.name, u.kind, u.id = @unitId AS self,
               CAST((SELECT COALESCE(SUM(d.households), 0) FROM org_units d WHERE d.kind = 'Grid' AND d.path LIKE CONCAT(u.path, '%')) AS SIGNED) AS households
          FROM org_units u
         WHERE u.id = @unitId OR u.parent_id = @unitId
         ORDER BY u.id <> @unitId, u.path
        """;

    private const string Subtrees = """
          FROM org_units u
          JOIN org_units d ON d.path LIKE CONCAT(u.path, '%')
        """;

    private const string Figures = "SELECT u.id AS unit_id, f.month, " + FigureRow.SummedColumns + Subtrees + """
          JOIN unit_month_figures f ON f.unit_id = d.id
         WHERE (u.id = @unitId OR u.parent_id = @unitId) AND f.month BETWEEN @from AND @to
         GROUP BY u.id, f.month
        """;

    private const string ReportCounts = "SELECT u.id AS unit_id, c.month, c.kind, c.status, SUM(c.reports) AS reports" + Subtrees + """
          JOIN unit_month_report_counts c ON c.unit_id = d.id
         WHERE (u.id = @unitId OR u.parent_id = @unitId) AND c.month BETWEEN @from AND @to
         GROUP BY u.id, c.month, c.kind, c.status
        """;

    private const string ReportHours = "SELECT u.id AS unit_id, h.month, h.measure, h.hours, SUM(h.reports) AS reports" + Subtrees + """
          JOIN unit_month_report_hours h ON h.unit_id = d.id
         WHERE (u.id = @unitId OR u.parent_id = @unitId) AND h.month BETWEEN @from AND @to
         GROUP BY u.id, h.month, h.measure, h.hours
        """;

    // Recruitment counts every month of the years shown, not only the months asked for.
    private const string Recruitment = """
        SELECT u.id AS unit_id, YEAR(f.month) AS year, SUM(f.members_joined) AS recruited,
               (SELECT t.target FROM recruitment_targets t WHERE t.org_unit_id = u.id AND t.year = YEAR(f.month)) AS target
        """ + Subtrees + """
          JOIN unit_month_figures f ON f.unit_id = d.id
         WHERE (u.id = @unitId OR u.parent_id = @unitId) AND f.month >= @yearFrom AND f.month < @yearUntil
         GROUP BY u.id, YEAR(f.month)
        """;

    private const string ComputedAt = "SELECT MIN(computed_at) FROM figure_rollups WHERE month BETWEEN @from AND @to";

    private const string CoverageTarget = """
        SELECT ct.target_permille FROM org_units u
          JOIN org_units s ON u.path LIKE CONCAT(s.path, '%') AND s.kind = 'SubDistrict'
          JOIN coverage_targets ct ON ct.sub_district_id = s.id
         WHERE u.id = @unitId
        """;

    private sealed class UnitRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public bool Self { get; init; }
        public long Households { get; init; }
    }

    private sealed class RecruitmentRow
    {
        public long UnitId { get; init; }
        public int Year { get; init; }
        public decimal Recruited { get; init; }
        public int? Target { get; init; }
    }

    public static async Task<Results<Ok<FiguresView>, ValidationProblem, ProblemHttpResult>> GetFigures(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct,
        FigurePeriod period = FigurePeriod.Month, [Month] string? from = null, [Month] string? to = null)
    {
        if (!TryResolveMonths(period, from, to, time, out var first, out var last, out var invalid))
        {
            return invalid!;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var view = await ReadAsync(connection, unitId, http.User.UserId(), period, first, last, ct);
        return view is null ? Problems.NotFound("org.unit.notFound") : TypedResults.Ok(view);
    }

    /// <summary>The first and last month shown: the last twelve when not given, widened to whole quarters for quarters.</summary>
    internal static bool TryResolveMonths(FigurePeriod period, string? from, string? to, TimeProvider time, out DateOnly first, out DateOnly last,
        out ValidationProblem? invalid)
    {
        last = to is null ? FigureRollup.MonthOf(time.Today()) : Parse(to);
        first = from is null ? last.AddMonths(-11) : Parse(from);
        invalid = first > last ? Problems.Invalid("to", "figures.period.reversed")
            : Months.Between(first, last) >= MaxMonths ? Problems.Invalid("to", "figures.period.tooLong", MaxMonths)
            : null;
        if (period == FigurePeriod.Quarter)
        {
            first = Quarter.Of(first).FirstDay;
            last = FigureRollup.MonthOf(Quarter.Of(last).LastDay);
        }
        return invalid is null;
    }

    /// <summary>The figures of a unit in the caller's scope and of its children; null when the unit is not in scope.</summary>
    internal static async Task<FiguresView?> ReadAsync(MySqlConnection connection, long unitId, long callerId, FigurePeriod period,
        DateOnly first, DateOnly last, CancellationToken ct)
    {
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(UnitInScope, new { unitId, callerId }, cancellationToken: ct)) is null)
        {
            return null;
        }
        var args = new
        {
            unitId, from = first.ToDateTime(TimeOnly.MinValue), to = last.ToDateTime(TimeOnly.MinValue),
            yearFrom = new DateTime(first.Year, 1, 1), yearUntil = new DateTime(last.Year + 1, 1, 1),
        };
        var units = (await connection.QueryAsync<UnitRow>(new CommandDefinition(Units, args, cancellationToken: ct))).ToList();
        var figures = (await connection.QueryAsync<FigureRow>(new CommandDefinition(Figures, args, cancellationToken: ct))).ToLookup(f => f.UnitId);
        var counts = (await connection.QueryAsync<ReportCountRow>(new CommandDefinition(ReportCounts, args, cancellationToken: ct))).ToLookup(c => c.UnitId);
        var hours = (await connection.QueryAsync<ReportHoursRow>(new CommandDefinition(ReportHours, args, cancellationToken: ct))).ToLookup(h => h.UnitId);
        var recruitment = (await connection.QueryAsync<RecruitmentRow>(new CommandDefinition(Recruitment, args, cancellationToken: ct))).ToLookup(r => r.UnitId);
        var computedAt = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(ComputedAt, args, cancellationToken: ct));
        var target = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(CoverageTarget, args, cancellationToken: ct))
            ?? RecruitmentApi.DefaultCoverageTargetPermille;

        var periods = FigurePeriods.Of(first, last, period);
        return new FiguresView(unitId, period, Months.Written(first), Months.Written(last), computedAt, target, units.Select(u => new UnitFigures(
            u.Id, u.Name, Enum.Parse<OrgUnitKind>(u.Kind), u.Self,
            periods.Select(p => FigurePeriods.Sum(p, (int)u.Households, figures[u.Id], counts[u.Id], hours[u.Id])).ToList(),
            recruitment[u.Id].OrderBy(r => r.Year).Select(r => new RecruitmentYear(r.Year, r.Target, (int)r.Recruited)).ToList())).ToList());
    }

    private static DateOnly Parse(string month) => Months.TryParse(month, out var value) ? value : default;
}
