using Association.Api.Notifications;
using Association.Api.Organisation;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Points;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>
/// The grid leader's side: patrol records of the grid, confirming (which awards every participant's
/// points in the same transaction) or rejecting finished patrols, and the grid's area.
/// </summary>
public static class PatrolReviewApi
{
    public static RouteGroupBuilder MapPatrolReviewApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/confirm", ConfirmPatrol)
            .WithSummary("Confirm a finished patrol; each participant earns points by the rules")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/reject", RejectPatrol)
            .WithSummary("Reject a finished patrol with a reason; it earns nothing")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/end", EndPatrol)
            .WithSummary("End a patrol its members left running (flagged NotFinishedByMember); it then waits for confirmation")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/grids/{gridId}/area", SetGridArea)
            .WithSummary("Set a grid's patrol area (centre and radius) used to flag patrols outside it")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string LockForReview = """
        SELECT p.id, p.status, p.started_at, p.finished_at, (
        """ + Scope.Sees + ") AS allowed, (" + PatrolRecordsApi.Participant + """
        ) AS participant
          FROM patrols p
          JOIN org_units target ON target.id = p.grid_id
         WHERE p.id = @id
           FOR UPDATE
        """;

    private const string ParticipantsToAward = """
        SELECT pm.id AS source_id, pm.member_id FROM patrol_members pm JOIN members m ON m.id = pm.member_id
         WHERE pm.patrol_id = @id AND m.status = 'Active'
        """;

    private const string Decide = "UPDATE patrols SET status = @status, decided_by = @callerId, decided_at = @now, decision_reason = @reason WHERE id = @id";

    private const string UpsertArea = """
        INSERT INTO grid_areas (grid_id, centre_lat, centre_lng, radius_m, set_by, set_at)
        VALUES (@gridId, @centreLat, @centreLng, @radiusMeters, @callerId, @now)
        ON DUPLICATE KEY UPDATE centre_lat = VALUES(centre_lat), centre_lng = VALUES(centre_lng), radius_m = VALUES(radius_m),
                                set_by = VALUES(set_by), set_at = VALUES(set_at)
        """;

    private sealed class ReviewRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public DateTime StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public bool Allowed { get; init; }
        public bool Participant { get; init; }
    }

    private sealed record AwardTarget(long SourceId, long MemberId);

    public static async Task<Results<Ok<PatrolView>, ProblemHttpResult>> ConfirmPatrol(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var patrol = await connection.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(LockForReview, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckReview(patrol, id) is { } refused)
        {
            return refused;
        }
        var hours = (int)Math.Floor((patrol!.FinishedAt!.Value - patrol.StartedAt).TotalHours);
        var occurredAt = new DateTimeOffset(patrol.StartedAt, TimeSpan.Zero);
        foreach (var target in await connection.QueryAsync<AwardTarget>(new CommandDefinition(ParticipantsToAward, new { id }, transaction, cancellationToken: ct)))
        {
            // A kind without a rule in force earns nothing; the confirmation itself still stands.
            await PointsLedger.AwardAsync(connection, transaction, target.MemberId, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, target.SourceId, 1, occurredAt, callerId, now, ct);
            if (hours >= 1)
            {
                await PointsLedger.AwardAsync(connection, transaction, target.MemberId, WorkKind.PatrolHour, AwardSourceKind.PatrolHour, target.SourceId, hours, occurredAt, callerId, now, ct);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide, new { id, status = "Confirmed", callerId, now, reason = (string?)null }, transaction, cancellationToken: ct));
        await PatrolNotices.TellAsync(connection, transaction, [id], NotificationKind.PatrolConfirmed, now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await PatrolRecordsApi.ReadAsync(connection, id, withTrack: true, ct));
    }

    public static async Task<Results<Ok<PatrolView>, ValidationProblem, ProblemHttpResult>> RejectPatrol(
        long id, Members.ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var patrol = await connection.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(LockForReview, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckReview(patrol, id) is { } refused)
        {
            return refused;
        }
        var now = time.DbUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = nameof(PatrolStatus.Rejected), callerId, now, reason = request.Reason!.Trim() }, transaction, cancellationToken: ct));
        await PatrolNotices.TellAsync(connection, transaction, [id], NotificationKind.PatrolRejected, now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await PatrolRecordsApi.ReadAsync(connection, id, withTrack: true, ct));
    }

    public static async Task<Results<Ok<PatrolView>, ProblemHttpResult>> EndPatrol(long id, HttpContext http, MySqlDataSource db, TimeProvider time,
        CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var patrol = await connection.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(LockForReview, new { id, callerId }, transaction, cancellationToken: ct));
        // Its members see it, so to them a refusal says why; to anyone else it does not exist.
        if (patrol is null || !(patrol.Allowed || patrol.Participant))
        {
            return Problems.NotFound("patrols.patrol.notFound");
        }
        if (patrol.Participant)
        {
            return Problems.Forbidden("patrols.review.participant");
        }
        if (patrol.Status != nameof(PatrolStatus.InProgress))
        {
            return Problems.Conflict("patrols.patrol.notInProgress", Enum.Parse<PatrolStatus>(patrol.Status));
        }
        await AbandonedPatrols.EndAsync(connection, transaction, [id], ct);
        await PatrolNotices.TellAsync(connection, transaction, [id], NotificationKind.PatrolEndedForMember, time.DbUtcNow(), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await PatrolRecordsApi.ReadAsync(connection, id, withTrack: true, ct));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetGridArea(
        long gridId, GridAreaRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var grid = await UnitAccess.ReadAsync(connection, null, gridId, callerId, ct);
        if (grid is null || grid.Kind != nameof(OrgUnitKind.Grid))
        {
            return Problems.NotFound("org.grid.notFound");
        }
        if (!grid.Administers)
        {
            return Problems.Forbidden("patrols.gridArea.notAdmin");
        }
        await connection.ExecuteAsync(new CommandDefinition(UpsertArea, new
        {
            gridId, request.CentreLat, request.CentreLng, request.RadiusMeters, callerId, now = time.DbUtcNow(),
        }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult? CheckReview(ReviewRow? patrol, long id)
    {
        if (patrol is null || !patrol.Allowed)
        {
            return Problems.NotFound("patrols.patrol.notFound");
        }
        if (patrol.Participant)
        {
            return Problems.Forbidden("patrols.review.participant");
        }
        return patrol.Status == nameof(PatrolStatus.Finished)
            ? null
            : Problems.Conflict("patrols.review.notFinished", Enum.Parse<PatrolStatus>(patrol.Status));
    }
}
