using Association.Api.Notifications;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>Deciding applications: a leader or admin of the grid approves or rejects, the applicant withdraws.</summary>
public static class ApplicationDecisionsApi
{
    public static RouteGroupBuilder MapApplicationDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/approve", ApproveApplication)
            .WithSummary("Approve a pending application: the applicant becomes a member with a red armband")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/reject", RejectApplication)
            .WithSummary("Reject a pending application with a reason the applicant sees")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/withdraw", WithdrawApplication)
            .WithSummary("Withdraw my pending application")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    // Locks the application row; the scope predicate decides whether the caller may decide on it.
    private const string LockForDecision = """
        SELECT a.id, a.user_id, a.grid_id, a.status, (
        """ + Scope.Sees + """
        ) AS allowed
          FROM membership_applications a
          JOIN org_units target ON target.id = a.grid_id
         WHERE a.id = @id
           FOR UPDATE
        """;

    internal const string CreateMember = """
        INSERT INTO members
            (user_id, application_id, grid_id, real_name, phone_cipher, phone_key_id, phone_masked, id_number_cipher,
             id_number_key_id, id_number_masked, id_number_hmac, address, volunteer_roles, status, joined_on, joined_at,
             armband_issued_on, armband_issued_by, approved_by, updated_at)
        SELECT a.user_id, a.id, a.grid_id, a.real_name, a.phone_cipher, a.phone_key_id, a.phone_masked, a.id_number_cipher,
               a.id_number_key_id, a.id_number_masked, a.id_number_hmac, a.address, a.volunteer_roles, 'Active', @today, @now,
               @today, @callerId, @callerId, @now
          FROM membership_applications a
         WHERE a.id = @id;
        SELECT LAST_INSERT_ID();
        """;

    internal const string NumberMember = """
        UPDATE members SET member_number = CONCAT('M', @year, '-', LPAD(id, 6, '0')) WHERE id = @memberId;
        INSERT INTO member_point_totals (member_id, balance, updated_at) VALUES (@memberId, 0, @now);
        INSERT INTO member_events (member_id, kind, to_grid_id, by_user_id, at)
        VALUES (@memberId, 'Joined', @gridId, @callerId, @now), (@memberId, 'ArmbandIssued', NULL, @callerId, @now);
        """;

    internal const string Decide = """
        UPDATE membership_applications
           SET status = @status, open_marker = NULL, decided_by = @callerId, decided_at = @now, decision_reason = @reason
         WHERE id = @id
        """;

    private const string Welcome = "SELECT m.member_number, g.name FROM members m JOIN org_units g ON g.id = m.grid_id WHERE m.id = @memberId";

    private const string LockOwn = "SELECT status FROM membership_applications WHERE id = @id AND user_id = @callerId FOR UPDATE";

    private sealed class LockedApplication
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public long GridId { get; init; }
        public string Status { get; init; } = "";
        public bool Allowed { get; init; }
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> ApproveApplication(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var today = time.Today();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var application = await connection.QuerySingleOrDefaultAsync<LockedApplication>(
            new CommandDefinition(LockForDecision, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckDecision(application, callerId, id) is { } refused)
        {
            return refused;
        }
        var memberId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CreateMember,
            new { id, callerId, now, today = today.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(NumberMember,
            new { memberId, year = today.Year, gridId = application!.GridId, callerId, now }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = nameof(ApplicationStatus.Approved), callerId, now, reason = (string?)null }, transaction, cancellationToken: ct));
        var (number, grid) = await connection.QuerySingleAsync<(string, string)>(new CommandDefinition(Welcome, new { memberId }, transaction, cancellationToken: ct));
        await Notices.WriteAsync(connection, transaction, now, ct,
            new Notice(application.UserId, NotificationKind.ApplicationApproved, $"application:{id}:decided", "/api/membership/applications/mine", number, grid));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await connection.QuerySingleAsync<ApplicationsApi.ApplicationRow>(new CommandDefinition(ApplicationsApi.ApplicationById, new { id }, cancellationToken: ct))).ToView());
    }

    public static async Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> RejectApplication(
        long id, ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var reason = request.Reason!.Trim();
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var application = await connection.QuerySingleOrDefaultAsync<LockedApplication>(
            new CommandDefinition(LockForDecision, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckDecision(application, callerId, id) is { } refused)
        {
            return refused;
        }
        var now = time.DbUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = nameof(ApplicationStatus.Rejected), callerId, now, reason }, transaction, cancellationToken: ct));
        await Notices.WriteAsync(connection, transaction, now, ct,
            new Notice(application!.UserId, NotificationKind.ApplicationRejected, $"application:{id}:decided", "/api/membership/applications/mine", reason));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await connection.QuerySingleAsync<ApplicationsApi.ApplicationRow>(new CommandDefinition(ApplicationsApi.ApplicationById, new { id }, cancellationToken: ct))).ToView());
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> WithdrawApplication(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LockOwn, new { id, callerId }, transaction, cancellationToken: ct));
        if (status is null)
        {
            return Problems.NotFound("membership.application.notFound");
        }
        if (status != nameof(ApplicationStatus.Pending))
        {
            return Problems.Conflict("membership.application.notPending", Enum.Parse<ApplicationStatus>(status));
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = "Withdrawn", callerId, now = time.DbUtcNow(), reason = (string?)null }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await connection.QuerySingleAsync<ApplicationsApi.ApplicationRow>(new CommandDefinition(ApplicationsApi.ApplicationById, new { id }, cancellationToken: ct))).ToView());
    }

    private static ProblemHttpResult? CheckDecision(LockedApplication? application, long callerId, long id)
    {
        // Outside the caller's grids an application is invisible, exactly like one that does not exist.
        if (application is null || !application.Allowed)
        {
            return Problems.NotFound("membership.application.notFound");
        }
        if (application.UserId == callerId)
        {
            return Problems.Forbidden("membership.application.own");
        }
        return application.Status == nameof(ApplicationStatus.Pending)
            ? null
            : Problems.Conflict("membership.application.decided", Enum.Parse<ApplicationStatus>(application.Status));
    }
}
