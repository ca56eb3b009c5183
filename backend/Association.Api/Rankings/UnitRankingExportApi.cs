using Association.Api.Audit;
using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>A unit ranking of a quarter as a sheet: each unit's composite and every measure's value and rank, with the weights used. Audited.</summary>
public static class UnitRankingExportApi
{
    public static RouteGroupBuilder MapUnitRankingExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{quarter}/{scope}/{scopeId}/export", ExportUnitRanking)
            .WithSummary("Grids or villages ranked for a quarter as .xlsx: composite, every measure and its rank, the weights (audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static readonly UnitMeasure[] Parts = [.. Enum.GetValues<UnitMeasure>().Where(m => m != UnitMeasure.Composite)];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportUnitRanking(
        [Quarter] string quarter, RankingScope scope, long scopeId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct,
        OrgUnitKind compare = OrgUnitKind.Grid)
    {
        if (UnitRankingsApi.Invalid(scope, compare) is { } invalid)
        {
            return invalid;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var (view, problem) = await UnitRankingsApi.ReadRankingAsync(connection, quarter, scope, scopeId, compare, callerId, ct);
        if (view is null)
        {
            return problem!;
        }
        await using var book = XlsxWorkbook.Create();
        var sheet = book.AddSheet(compare == OrgUnitKind.Grid ? "网格排名" : "村（社区）排名",
        [
            new("名次", 7), new("单位", 20), new("综合得分", 10),
            .. Parts.SelectMany(m => new XlsxColumn[] { new(EnumLabels.Chinese(m), 14), new(EnumLabels.Chinese(m) + "名次", 10) }),
        ]);
        foreach (var entry in view.Entries)
        {
            var parts = entry.Parts.ToDictionary(p => p.Measure);
            sheet.Add([entry.Rank, entry.Name, entry.Composite,
                .. Parts.SelectMany(m => parts.TryGetValue(m, out var part) ? new object?[] { part.Value, part.Rank } : [null, null])]);
        }
        var weights = view.Entries.FirstOrDefault()?.Parts.ToDictionary(p => p.Measure, p => p.Weight) ?? [];
        var about = book.AddSheet("权重与说明", [new("指标", 24), new("权重", 8), new("说明", 70)]);
        foreach (var measure in Parts)
        {
            about.Add(EnumLabels.Chinese(measure), weights.TryGetValue(measure, out var weight) ? weight : null,
                "同组单位中该项最好者得 100 分，其余按数值比例折算；综合得分为各项得分按权重加权之和，权重合计 100。");
        }
        about.Add("状态", null, $"{quarter} {RankingExportApi.StatusLabel(view.Status)}，计算于 {view.ComputedAt.ChinaTimeText()}");
        return await ExportAudit.SendAsync(book, sheet.Rows, new ExportRecord(ExportKind.UnitRanking, scopeId, $"{quarter} {compare}"),
            $"单位排名-{quarter}-{scope}-{scopeId}", connection, callerId, time, ct);
    }
}
