using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Points;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>
/// Moving a report through its workflow, by a leader or admin of its grid who did not write it; the member a report
/// was assigned to resolves it from their phone, and does nothing else with it. Points follow the moves, in the same
/// transaction: the reporting member earns on acceptance, and for a dispute the assigned member earns when someone
/// else verifies it: a leader resolving it, or closing it after the mediator resolved it. A rejected report earns nothing.
/// </summary>
public static class GridReportWorkflowApi
{
    public static RouteGroupBuilder MapGridReportWorkflowApi(this RouteGroupBuilder api)
    {

        api.MapPost("/release", ReleaseReport).WithSummary("Publish a report held for content review")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/accept", AcceptReport).WithSummary("Confirm a submitted report; the reporting member earns points")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/reject", RejectReport).WithSummary("Reject a held or submitted report with a reason")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/assign", AssignReport).WithSummary("Give an accepted report to a member of the grid to handle")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/resolve", ResolveReport).WithSummary("Record how the problem was resolved: a leader, or the member it was assigned to")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/close", CloseReport).WithSummary("Close a resolved report (a dispute its mediator resolved earns its points now)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    // allowed: the caller's scope holds the report's grid; acts: it also holds the level the report is handled at now.
    internal const string LockReport = """
        SELECT r.id, r.grid_id, r.reporter_user_id, r.reporter_member_id, r.kind, r.status, r.level, r.created_at, r.assigned_member_id,
               (SELECT m.user_id FROM members m WHERE m.id = r.assigned_member_id) AS assigned_user_id, (
        """ + Scope.Sees + """
        ) AS allowed,
               EXISTS (SELECT 1 FROM role_assignments lr JOIN org_units lu ON lu.id = lr.org_unit_id
                        WHERE level_unit.path LIKE CONCAT(lu.path, '%') AND lr.user_id = @callerId) AS acts
          FROM grid_reports r
          JOIN org_units target ON target.id = r.grid_id
          JOIN org_units village ON village.id = target.parent_id
          JOIN org_units level_unit ON level_unit.id = CASE r.level WHEN 'Grid' THEN target.id WHEN 'Village' THEN village.id ELSE village.parent_id END
         WHERE r.id = @id
           FOR UPDATE
        """;

    private const string Move = """
        UPDATE grid_reports
           SET status = @to, assigned_member_id = COALESCE(@assignedMemberId, assigned_member_id), updated_at = @now,
               accepted_at = CASE WHEN @to = 'Accepted' THEN @now ELSE accepted_at END,
               resolved_at = CASE WHEN @to = 'Resolved' THEN @now ELSE resolved_at END,
               resolved_level = CASE WHEN @to = 'Resolved' THEN level ELSE resolved_level END
         WHERE id = @id
        """;

    private const string GridMember = "SELECT COUNT(*) FROM members WHERE id = @memberId AND grid_id = @gridId AND status = 'Active'";

    internal sealed class LockedReport
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public long ReporterUserId { get; init; }
        public long? ReporterMemberId { get; init; }
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public string Level { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public long? AssignedMemberId { get; init; }
        public long? AssignedUserId { get; init; }
        public bool Allowed { get; init; }
        public bool Acts { get; init; }
    }

    public static Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> ReleaseReport(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MoveAsync(id, ReportStatus.Submitted, "内容审核后发布", null, http, db, time, ct);

    public static Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> AcceptReport(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MoveAsync(id, ReportStatus.Accepted, null, null, http, db, time, ct);

    public static Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> CloseReport(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MoveAsync(id, ReportStatus.Closed, null, null, http, db, time, ct);

    public static async Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> RejectReport(
        long id, TransitionRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        await MoveAsync(id, ReportStatus.Rejected, request.Note!.Trim(), null, http, db, time, ct);

    public static async Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> ResolveReport(
        long id, TransitionRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        await MoveAsync(id, ReportStatus.Resolved, request.Note!.Trim(), null, http, db, time, ct);

    public static Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> AssignReport(
        long id, AssignRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MoveAsync(id, ReportStatus.Assigned, request.Note?.Trim(), request.MemberId, http, db, time, ct);

    private static async Task<Results<Ok<GridReportView>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        long id, ReportStatus to, string? note, long? assignTo, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var report = await connection.QuerySingleOrDefaultAsync<LockedReport>(new CommandDefinition(LockReport, new { id, callerId }, transaction, cancellationToken: ct));
        var assignee = report is not null && report.AssignedUserId == callerId;
        if (report is null || !(report.Allowed || assignee))
        {
            return Problems.NotFound("gridReports.report.notFound");
        }
        // The author checks nothing of their own report; the mediator only says how it was resolved.
        if (report.ReporterUserId == callerId || (assignee && to != ReportStatus.Resolved))
        {
            return Problems.Forbidden("gridReports.review.own");
        }
        // Once raised, the level above handles it; the grid reads it still, and its mediator may still say it is resolved.
        if (!report.Acts && !assignee)
        {
            return Problems.Forbidden("gridReports.report.raised", Enum.Parse<ReportLevel>(report.Level));
        }
        var from = Enum.Parse<ReportStatus>(report.Status);
        if (!ReportWorkflow.CanMove(from, to))
        {
            return Problems.Conflict("gridReports.report.cannotMove", from, to);
        }
        if (assignTo is { } memberId && await connection.ExecuteScalarAsync<long>(new CommandDefinition(GridMember,
                new { memberId, report.GridId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Invalid("memberId", "gridReports.assign.notGridMember");
        }

        await connection.ExecuteAsync(new CommandDefinition(Move, new { id, to = to.ToString(), assignedMemberId = assignTo, now }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(GridReportsApi.RecordTransition,
            new { id, from = from.ToString(), to = to.ToString(), callerId, note, now }, transaction, cancellationToken: ct));
        await AwardAsync(connection, transaction, report, to, callerId, now, ct);
        await ReportNotices.TellAsync(connection, transaction, id, report.ReporterUserId, Enum.Parse<ReportKind>(report.Kind), report.CreatedAt, to, note,
            now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await GridReportRecordsApi.ReadAsync(connection, id, callerId, ct))!);
    }

    private static async Task AwardAsync(MySqlConnection connection, MySqlTransaction transaction, LockedReport report, ReportStatus to,
        long callerId, DateTime now, CancellationToken ct)
    {
        var kind = Enum.Parse<ReportKind>(report.Kind);
        var occurredAt = new DateTimeOffset(report.CreatedAt, TimeSpan.Zero);
        if (to == ReportStatus.Accepted && report.ReporterMemberId is { } reporter)
        {
            await PointsLedger.AwardAsync(connection, transaction, reporter, ReportWorkflow.AcceptedWork(kind), AwardSourceKind.GridReport, report.Id, 1, occurredAt, callerId, now, ct);
        }
        // The mediator's own "resolved" is verified by whoever closes the report; a leader's "resolved" is verified as said.
        var verified = (to == ReportStatus.Resolved && report.AssignedUserId != callerId) || to == ReportStatus.Closed;
        if (verified && kind == ReportKind.Dispute && report.AssignedMemberId is { } mediator && report.AssignedUserId != callerId)
        {
            await PointsLedger.AwardAsync(connection, transaction, mediator, WorkKind.DisputeResolved, AwardSourceKind.DisputeResolved, report.Id, 1, occurredAt, callerId, now, ct);
        }
    }
}
