using Association.Api.Organisation;
using Association.Api.Photos;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Association.WeChat;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>Reading grid reports: the list in the caller's scope, the overdue ones, and one report with its history.</summary>
public static class GridReportRecordsApi
{
    public static RouteGroupBuilder MapGridReportRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("", ListReports)
            .WithSummary("Reports of the caller's grids, or the caller's own, newest first")
            .ProducesValidationProblem();
        api.MapGet("/assigned-to-me", ListReportsAssignedToMe)
            .WithSummary("Reports handed to me to work (a dispute to mediate, say), open ones first")
            .ProducesValidationProblem();
        api.MapGet("/overdue", ListOverdueReports)
            .WithSummary("Open reports past their deadline in the caller's grids, most overdue first");
        api.MapGet("/{id}", GetReport)
            .WithSummary("One report with every step of its workflow")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    internal const string Reporter = "r.reporter_user_id = @callerId";

    /// <summary>The member a report was handed to reads it, wherever their grid is: they are the one working it.</summary>
    internal const string Assignee = "EXISTS (SELECT 1 FROM members am WHERE am.id = r.assigned_member_id AND am.user_id = @callerId)";

    internal const string ReportColumns = """
        SELECT r.id, r.grid_id, r.reporter_user_id, r.kind, r.description, r.location_text, r.lat, r.lng, r.photo_refs,
               r.urgency, r.status, r.content_check, r.deadline_at, r.assigned_member_id, r.created_at,
               r.level, r.resolved_level
          FROM grid_reports r
          JOIN org_units target ON target.id = r.grid_id
        """;

    private const string VisibleReport = ReportColumns + " WHERE r.id = @id AND (" + Reporter + " OR " + Assignee + " OR " + Scope.Sees + ")";

    private const string AssignedToMe = ReportColumns + """
          JOIN members am ON am.id = r.assigned_member_id AND am.user_id = @callerId
         ORDER BY r.status <> 'Assigned', r.deadline_at, r.id
         LIMIT @limit OFFSET @offset
        """;

    private const string ReportsPage = ReportColumns + """
         WHERE (@gridId IS NULL OR r.grid_id = @gridId)
           AND (@status IS NULL OR r.status = @status)
           AND (@kind IS NULL OR r.kind = @kind)
           AND (
        """ + Reporter + " OR " + Assignee + " OR " + Scope.Sees + """
               )
         ORDER BY r.id DESC
         LIMIT @limit OFFSET @offset
        """;

    private const string Overdue = ReportColumns + """
         WHERE r.deadline_at < @now AND r.status IN ('Held', 'Submitted', 'Accepted', 'Assigned') AND
        """ + Scope.Sees + " ORDER BY r.deadline_at LIMIT 500";

    private const string History = "SELECT from_status, to_status, by_user_id, note, at FROM grid_report_transitions WHERE report_id = @id ORDER BY id";

    private const string Escalations = "SELECT from_level, to_level, reason, by_user_id, at FROM grid_report_escalations WHERE report_id = @id ORDER BY id";

    internal sealed class ReportRow
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public long ReporterUserId { get; init; }
        public string Kind { get; init; } = "";
        public string Description { get; init; } = "";
        public string? LocationText { get; init; }
        public decimal? Lat { get; init; }
        public decimal? Lng { get; init; }
        public string? PhotoRefs { get; init; }
        public string Urgency { get; init; } = "";
        public string Status { get; init; } = "";
        public string ContentCheck { get; init; } = "";
        public DateTime DeadlineAt { get; init; }
        public long? AssignedMemberId { get; init; }
        public DateTime CreatedAt { get; init; }
        public string Level { get; init; } = "";
        public string? ResolvedLevel { get; init; }

        public GridReportView ToView(IReadOnlyList<ReportTransition>? history, IReadOnlyList<ReportEscalationView>? escalations = null) => new(Id, GridId, ReporterUserId, Enum.Parse<ReportKind>(Kind),
            Description, LocationText, Lat, Lng, (PhotoRefs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), Enum.Parse<Urgency>(Urgency),
            Enum.Parse<ReportStatus>(Status), ContentCheck, DeadlineAt, AssignedMemberId, CreatedAt, Enum.Parse<ReportLevel>(Level),
            ResolvedLevel is null ? null : Enum.Parse<ReportLevel>(ResolvedLevel), history, escalations);
    }

    private sealed class TransitionRow
    {
        public string? FromStatus { get; init; }
        public string ToStatus { get; init; } = "";
        public long ByUserId { get; init; }
        public string? Note { get; init; }
        public DateTime At { get; init; }
    }

    private sealed class EscalationRow
    {
        public string FromLevel { get; init; } = "";
        public string ToLevel { get; init; } = "";
        public string Reason { get; init; } = "";
        public long? ByUserId { get; init; }
        public DateTime At { get; init; }
    }

    public static async Task<Results<Ok<IReadOnlyList<GridReportView>>, ValidationProblem>> ListReports(
        HttpContext http, MySqlDataSource db, CancellationToken ct,
        long? gridId = null, ReportStatus? status = null, ReportKind? kind = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(ReportsPage, new
        {
            callerId = http.User.UserId(), gridId, status = status?.ToString(), kind = kind?.ToString(), limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<GridReportView>>(rows.Select(r => r.ToView(null)).ToList());
    }

    public static async Task<Results<Ok<IReadOnlyList<GridReportView>>, ValidationProblem>> ListReportsAssignedToMe(
        HttpContext http, MySqlDataSource db, CancellationToken ct, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(AssignedToMe, new
        {
            callerId = http.User.UserId(), limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<GridReportView>>(rows.Select(r => r.ToView(null)).ToList());
    }

    public static async Task<Ok<IReadOnlyList<GridReportView>>> ListOverdueReports(HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(Overdue, new { callerId = http.User.UserId(), now = time.DbUtcNow() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<GridReportView>>(rows.Select(r => r.ToView(null)).ToList());
    }

    public static async Task<Results<Ok<GridReportView>, ProblemHttpResult>> GetReport(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var view = await ReadAsync(connection, id, http.User.UserId(), ct);
        return view is null ? Problems.NotFound("gridReports.report.notFound") : TypedResults.Ok(view);
    }

    internal static async Task<GridReportView?> ReadAsync(MySqlConnection connection, long id, long callerId, CancellationToken ct,
        MySqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(VisibleReport, new { id, callerId }, transaction, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var history = await connection.QueryAsync<TransitionRow>(new CommandDefinition(History, new { id }, transaction, cancellationToken: ct));
        var escalations = await connection.QueryAsync<EscalationRow>(new CommandDefinition(Escalations, new { id }, transaction, cancellationToken: ct));
        return row.ToView(
            history.Select(h => new ReportTransition(
                h.FromStatus is null ? null : Enum.Parse<ReportStatus>(h.FromStatus), Enum.Parse<ReportStatus>(h.ToStatus), h.ByUserId, h.Note, h.At)).ToList(),
            escalations.Select(e => new ReportEscalationView(
                Enum.Parse<ReportLevel>(e.FromLevel), Enum.Parse<ReportLevel>(e.ToLevel), e.Reason, e.ByUserId, e.At)).ToList());
    }
}
