using Association.Api.Audit;
using Association.Api.Members;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// A whole member ranking of a quarter as a sheet for the office that confirms awards: full names, so only staff of the
/// scope (a role on it or above) may take it; the app's boards show names masked. Streamed and audited.
/// </summary>
public static class RankingExportApi
{
    public static RouteGroupBuilder MapRankingExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{quarter}/{scope}/{scopeId}/export", ExportRanking)
            .WithSummary("Every member of a grid's, village's or sub-district's ranking for a quarter as .xlsx (staff of the scope, audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    internal static string StatusLabel(string status) => status == "Final" ? "最终" : "暂定（季度未结束或尚在复核）";

    private static readonly XlsxColumn[] Columns = [new("名次", 7), new("位次", 7), new("会员编号", 16), new("姓名", 10), new("网格", 20), new("季度积分", 10)];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportRanking(
        [Quarter] string quarter, RankingScope scope, long scopeId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var scopeName = await UnitAccess.SeenNameAsync(connection, scopeId, callerId, ct, scope.ToString());
        if (scopeName is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        var header = await connection.QuerySingleOrDefaultAsync<RankingsApi.QuarterRow>(new CommandDefinition(RankingsApi.QuarterHeader, new { quarter }, cancellationToken: ct));
        if (header is null)
        {
            return Problems.NotFound("rankings.ranking.notYet", quarter);
        }
        await using var book = XlsxWorkbook.Create();
        var sheet = book.AddSheet("会员排名", Columns);
        if (!await sheet.AddAllAsync(connection.QueryUnbufferedAsync<RankingsApi.EntryRow>(RankingsApi.EntriesOf(scope),
                           new { runId = header.CurrentRun, scopeId, from = 1, to = int.MaxValue }), row => [row.Rank, row.Position, row.MemberNumber, row.RealName ?? MemberNames.Anonymous, row.GridName, row.Points], ct))
        {
            return ExportLimits.TooManyRows();
        }
        var about = book.AddSheet("说明", [new("季度", 9), new("范围", 20), new("状态", 28), new("计算时间", 20), new("说明", 60)]);
        about.Add(quarter, scopeName, StatusLabel(header.Status), header.ComputedAt, "积分相同者名次相同，位次按会员编号先后排列。");
        return await ExportAudit.SendAsync(book, sheet.Rows, new ExportRecord(ExportKind.MemberRanking, scopeId, quarter),
            $"会员排名-{scopeName}-{quarter}", connection, callerId, time, ct);
    }
}
