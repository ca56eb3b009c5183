using Association.Api.Audit;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>Coverage of households by active members as a sheet: every village and grid of a unit against the target, and those below it. Audited.</summary>
public static class CoverageExportApi
{
    public static RouteGroupBuilder MapCoverageExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/coverage/export", ExportCoverage)
            .WithSummary("Active members per household for a unit, its villages and grids, as .xlsx, with how many members each unit below target still needs (audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static readonly XlsxColumn[] Columns =
    [
        new("单位编码", 16), new("单位", 20), new("层级", 10), new("户数", 8), new("在册会员", 9), new("覆盖率（%）", 11), new("目标（%）", 9),
        new("是否达标", 9), new("距目标还差（人）", 15),
    ];

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportCoverage(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var report = await RecruitmentApi.ReadCoverageAsync(connection, unitId, callerId, ct);
        if (report?.Unit is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        await using var book = XlsxWorkbook.Create();
        var all = book.AddSheet("覆盖率", Columns);
        foreach (var row in new[] { report.Unit }.Concat(report.Villages.Where(v => v.UnitId != unitId)).Concat(report.Grids.Where(g => g.UnitId != unitId)))
        {
            all.Add(Cells(row, report.TargetPercent));
        }
        var below = book.AddSheet("未达标单位", Columns);
        foreach (var row in report.BelowTarget)
        {
            below.Add(Cells(row, report.TargetPercent));
        }
        return await ExportAudit.SendAsync(book, all.Rows, new ExportRecord(ExportKind.Coverage, unitId, $"目标{report.TargetPercent}%"),
            $"会员覆盖率-{report.Unit.Name}", connection, callerId, time, ct);
    }

    private static object?[] Cells(CoverageRow row, decimal targetPercent) =>
    [
        row.Code, row.Name, row.Kind, row.Households, row.ActiveMembers, row.CoveragePercent, targetPercent, row.MeetsTarget,
        row.MeetsTarget == false ? (long)Math.Ceiling(row.Households * targetPercent / 100m) - row.ActiveMembers : null,
    ];
}
