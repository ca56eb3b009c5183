using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>
/// Raising a report the grid cannot settle to its village, and the village's to the sub-district, with the reason;
/// whoever handles it at its present level (or above) may raise it, never its reporter.
/// </summary>
public static class GridReportEscalationApi
{
    public static RouteGroupBuilder MapGridReportEscalationApi(this RouteGroupBuilder api)
    {
        api.MapPost("/escalate", EscalateReport)
            .WithSummary("Raise an open report to the level above (grid → village → sub-district) with a reason; that level's admins are told")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static readonly ReportStatus[] Open = [ReportStatus.Submitted, ReportStatus.Accepted, ReportStatus.Assigned];

    public static async Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> EscalateReport(
        long id, EscalateRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var report = await connection.QuerySingleOrDefaultAsync<GridReportWorkflowApi.LockedReport>(
            new CommandDefinition(GridReportWorkflowApi.LockReport, new { id, callerId }, transaction, cancellationToken: ct));
        if (report is null || !report.Allowed)
        {
            return Problems.NotFound("gridReports.report.notFound");
        }
        if (report.ReporterUserId == callerId)
        {
            return Problems.Forbidden("gridReports.review.own");
        }
        var level = Enum.Parse<ReportLevel>(report.Level);
        if (!report.Acts)
        {
            return Problems.Forbidden("gridReports.report.raised", level);
        }
        if (!Open.Contains(Enum.Parse<ReportStatus>(report.Status)))
        {
            return Problems.Conflict("gridReports.escalate.notOpen", Enum.Parse<ReportStatus>(report.Status));
        }
        if (ReportEscalation.Above(level) is not { } above)
        {
            return Problems.Conflict("gridReports.escalate.top");
        }
        await ReportEscalation.RaiseAsync(connection, transaction, id, level, above, request.Reason!.Trim(), callerId, now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await GridReportRecordsApi.ReadAsync(connection, id, callerId, ct))!);
    }
}
