using Association.Api.Audit;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>
/// A unit's grid reports for a period as a workbook: one sheet of reports with their deadlines, times and levels, one
/// of every step of their workflow (moves and raises), streamed and audited. Reporters are not named: residents report.
/// </summary>
public static class GridReportExportApi
{
    public static RouteGroupBuilder MapGridReportExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/export", ExportReports)
            .WithSummary("Reports made in a unit's grids from one China day to another (at most a year) as .xlsx, with every step of their workflow (audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private const string ReportsOfUnit = """
          FROM org_units target
          JOIN org_units g ON g.kind = 'Grid' AND g.path LIKE CONCAT(target.path, '%')
          JOIN grid_reports r ON r.grid_id = g.id AND r.created_at >= @from AND r.created_at < @until
        """;

    private const string InScope = " WHERE target.id = @unitId AND (@kind IS NULL OR r.kind = @kind) AND " + Scope.Sees;

    private const string Reports = """
        SELECT r.id, g.name AS grid_name, r.kind, r.urgency, r.status, r.description, r.location_text, r.created_at, r.deadline_at,
               r.accepted_at, r.resolved_at, r.level, r.resolved_level, rm.member_number AS reporter_number, am.real_name AS assignee_name
        """ + ReportsOfUnit + """
          LEFT JOIN members rm ON rm.id = r.reporter_member_id
          LEFT JOIN members am ON am.id = r.assigned_member_id
        """ + InScope + " ORDER BY r.id";

    private const string Steps = """
        SELECT r.id AS report_id, t.at, t.id AS step_id, 0 AS raise, t.from_status, t.to_status, NULL AS from_level, NULL AS to_level,
               t.by_user_id, bm.real_name AS by_name, t.note
        """ + ReportsOfUnit + """
          JOIN grid_report_transitions t ON t.report_id = r.id
          LEFT JOIN members bm ON bm.user_id = t.by_user_id
        """ + InScope + """

        UNION ALL
        SELECT r.id, x.at, x.id, 1, NULL, NULL, x.from_level, x.to_level, x.by_user_id, bm.real_name, x.reason
        """ + ReportsOfUnit + """
          JOIN grid_report_escalations x ON x.report_id = r.id
          LEFT JOIN members bm ON bm.user_id = x.by_user_id
        """ + InScope + """

         ORDER BY report_id, at, raise, step_id
        """;

    private sealed class ReportRow
    {
        public long Id { get; init; }
        public string GridName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Urgency { get; init; } = "";
        public string Status { get; init; } = "";
        public string Description { get; init; } = "";
        public string? LocationText { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime DeadlineAt { get; init; }
        public DateTime? AcceptedAt { get; init; }
        public DateTime? ResolvedAt { get; init; }
        public string Level { get; init; } = "";
        public string? ResolvedLevel { get; init; }
        public string? ReporterNumber { get; init; }
        public string? AssigneeName { get; init; }

        public object?[] Cells(DateTime now) =>
        [
            Id, GridName, Enum.Parse<ReportKind>(Kind), Enum.Parse<Urgency>(Urgency), Enum.Parse<ReportStatus>(Status), Description, LocationText,
            ReporterNumber ?? "居民", CreatedAt, DeadlineAt, AcceptedAt, Hours(AcceptedAt), ResolvedAt, Hours(ResolvedAt),
            Enum.Parse<ReportLevel>(Level), ResolvedLevel is null ? null : Enum.Parse<ReportLevel>(ResolvedLevel),
            Status != nameof(ReportStatus.Rejected) && (ResolvedAt ?? now) > DeadlineAt, AssigneeName,
        ];

        private decimal? Hours(DateTime? at) => at is { } moment ? Math.Round((decimal)(moment - CreatedAt).TotalHours, 1) : null;
    }

    private sealed class StepRow
    {
        public long ReportId { get; init; }
        public DateTime At { get; init; }
        public bool Raise { get; init; }
        public string? FromStatus { get; init; }
        public string? ToStatus { get; init; }
        public string? FromLevel { get; init; }
        public string? ToLevel { get; init; }
        public long? ByUserId { get; init; }
        public string? ByName { get; init; }
        public string? Note { get; init; }

        public object?[] Cells() =>
        [
            ReportId, At,
            Raise ? $"上报：{EnumLabels.Chinese(Enum.Parse<ReportLevel>(FromLevel!))} → {EnumLabels.Chinese(Enum.Parse<ReportLevel>(ToLevel!))}"
                : FromStatus is null ? EnumLabels.Chinese(Enum.Parse<ReportStatus>(ToStatus!))
                : $"{EnumLabels.Chinese(Enum.Parse<ReportStatus>(FromStatus))} → {EnumLabels.Chinese(Enum.Parse<ReportStatus>(ToStatus!))}",
            MemberNames.Actor(ByUserId, ByName), Note,
        ];
    }

    private static readonly XlsxColumn[] ReportColumns =
    [
        new("事件编号", 10), new("网格", 20), new("类型", 12), new("紧急程度", 9), new("状态", 8), new("描述", 40), new("地点", 24), new("上报人", 16),
        new("上报时间", 20), new("处理期限", 20), new("受理时间", 20), new("受理用时（小时）", 16), new("办结时间", 20), new("办结用时（小时）", 16),
        new("当前层级", 9), new("办结层级", 9), new("是否超期", 9), new("承办会员", 10),
    ];

    private static readonly XlsxColumn[] StepColumns = [new("事件编号", 10), new("时间", 20), new("环节", 24), new("操作人", 12), new("说明", 40)];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportReports(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, ReportKind? kind = null)
    {
        if (!DayRange.TryResolve(from, to, time, out var period, out var invalid))
        {
            return invalid!;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var unitName = await UnitAccess.SeenNameAsync(connection, unitId, callerId, ct);
        if (unitName is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        var args = new { unitId, callerId, from = period.FromUtc, until = period.UntilUtc, kind = kind?.ToString() };
        var now = time.DbUtcNow();
        await using var book = XlsxWorkbook.Create();
        var reports = book.AddSheet("网格事件", ReportColumns);
        if (!await reports.AddAllAsync(connection.QueryUnbufferedAsync<ReportRow>(Reports, args), row => row.Cells(now), ct))
        {
            return ExportLimits.TooManyRows();
        }
        var steps = book.AddSheet("处理经过", StepColumns);
        if (!await steps.AddAllAsync(connection.QueryUnbufferedAsync<StepRow>(Steps, args), row => row.Cells(), ct))
        {
            return ExportLimits.TooManyRows();
        }
        return await ExportAudit.SendAsync(book, reports.Rows, new ExportRecord(ExportKind.GridReports, unitId, period.ToString()),
            $"网格事件-{unitName}-{period}", connection, callerId, time, ct);
    }
}
