using Association.Api.Audit;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Figures;

/// <summary>The figures of <see cref="FiguresApi"/> as a workbook for reporting upwards: a row per unit and period, reports by kind and state, recruitment. Audited.</summary>
public static class FiguresExportApi
{
    public static RouteGroupBuilder MapFiguresExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{unitId}/export", ExportFigures)
            .WithSummary("A unit's figures and its children's, per month or quarter, as .xlsx (at most 36 months, audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static readonly XlsxColumn[] Columns =
    [
        new("单位", 20), new("层级", 9), new("期间", 10), new("起", 11), new("止", 11),
        new("新入会", 8), new("暂停", 7), new("退会", 7), new("期末会员", 9), new("活跃会员", 9), new("户数", 8), new("覆盖率（%）", 11),
        new("所得积分", 9), new("巡防次数", 9), new("已确认巡防", 10), new("巡防时长（小时）", 15),
        new("事件", 7), new("已受理", 8), new("已办结", 8), new("按期办结", 9), new("超期未办", 9),
        new("受理用时中位数（小时）", 20), new("办结用时中位数（小时）", 20), new("网格办结", 9), new("村（社区）办结", 13), new("街道办结", 9),
        new("纠纷化解", 9), new("纠纷就地化解", 12), new("宣传发布", 9), new("期末参保", 9), new("参保率（%）", 11), new("平均参保天数", 12),
        new("活动场次", 9), new("参与人次", 9),
    ];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportFigures(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct,
        FigurePeriod period = FigurePeriod.Month, [Month] string? from = null, [Month] string? to = null)
    {
        if (!FiguresApi.TryResolveMonths(period, from, to, time, out var first, out var last, out var invalid))
        {
            return invalid!;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var view = await FiguresApi.ReadAsync(connection, unitId, callerId, period, first, last, ct);
        if (view is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        await using var book = XlsxWorkbook.Create();
        var figures = book.AddSheet("指标", Columns);
        foreach (var unit in view.Units)
        {
            foreach (var p in unit.Periods)
            {
                figures.Add(unit.Name, unit.Kind, p.Period, p.From, p.To,
                    p.MembersJoined, p.MembersSuspended, p.MembersLeft, p.MembersAtEnd, p.ActiveMembers, p.Households, p.CoveragePermille / 10m,
                    p.PointsEarned, p.Patrols, p.PatrolsConfirmed, p.PatrolHours,
                    p.Reports, p.ReportsAccepted, p.ReportsResolved, p.ReportsResolvedOnTime, p.ReportsOverdue,
                    p.MedianHoursToAccept, p.MedianHoursToResolve, p.ResolvedAtGrid, p.ResolvedAtVillage, p.ResolvedAtSubDistrict,
                    p.DisputesResolved, p.DisputesSettledLocally, p.PublicityPublished, p.InsuredAtEnd, p.InsuredPermille / 10m, p.AverageDaysToCover,
                    p.EventsHeld, p.Attendances);
            }
        }
        var reports = book.AddSheet("事件分类", [new("单位", 20), new("期间", 10), new("类型", 12), new("状态", 8), new("数量", 8)]);
        foreach (var unit in view.Units)
        {
            foreach (var p in unit.Periods)
            {
                foreach (var count in p.ReportsByKindAndState)
                {
                    reports.Add(unit.Name, p.Period, count.Kind, count.Status, count.Reports);
                }
            }
        }
        var recruitment = book.AddSheet("招募", [new("单位", 20), new("年度", 7), new("目标", 7), new("已招募", 8), new("完成率（%）", 11)]);
        foreach (var unit in view.Units)
        {
            foreach (var year in unit.Recruitment)
            {
                recruitment.Add(unit.Name, year.Year, year.Target, year.Recruited,
                    year.Target is > 0 ? Math.Round(year.Recruited * 100m / year.Target.Value, 1) : null);
            }
        }
        var self = view.Units.FirstOrDefault(u => u.Self)?.Name ?? unitId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await ExportAudit.SendAsync(book, figures.Rows, new ExportRecord(ExportKind.Figures, unitId, $"{view.From}至{view.To} {period}"),
            $"指标-{self}-{view.From}至{view.To}", connection, callerId, time, ct);
    }
}
