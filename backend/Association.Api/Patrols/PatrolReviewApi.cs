using Association.Api.Organisation;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
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

        api.MapGet("", ListPatrols)
            .WithSummary("Patrol records of the caller's grids (or the caller's own), filterable by grid, member, period and status")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetPatrol)
            .WithSummary("One patrol with its GPS track (participants, and leaders and admins of its grid)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/confirm", ConfirmPatrol)
            .WithSummary("Confirm a finished patrol; each participant earns points by the rules")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/reject", RejectPatrol)
            .WithSummary("Reject a finished patrol with a reason; it earns nothing")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/grids/{gridId}/area", SetGridArea)
            .WithSummary("Set a grid's patrol area (centre and radius) used to flag patrols outside it")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string Participant = """
        EXISTS (SELECT 1 FROM patrol_members own JOIN members own_member ON own_member.id = own.member_id
                 WHERE own.patrol_id = p.id AND own_member.user_id = @callerId)
        """;

    private const string PatrolById = """
        SELECT p.id, p.grid_id, p.started_by, p.status, p.started_at, p.finished_at, p.flags, p.decision_reason
          FROM patrols p WHERE p.id = @id
        """;

    private const string VisiblePatrol = """
        SELECT COUNT(*) FROM patrols p JOIN org_units target ON target.id = p.grid_id
         WHERE p.id = @id AND (
        """ + Participant + " OR " + Scope.Sees + ")";

    private const string PatrolsPage = """
        SELECT p.id, p.grid_id, p.started_by, p.status, p.started_at, p.finished_at, p.flags, p.decision_reason
          FROM patrols p
          JOIN org_units target ON target.id = p.grid_id
         WHERE (@gridId IS NULL OR p.grid_id = @gridId)
           AND (@status IS NULL OR p.status = @status)
           AND (@from IS NULL OR p.started_at >= @from)
           AND (@until IS NULL OR p.started_at < @until)
           AND (@memberId IS NULL OR EXISTS (SELECT 1 FROM patrol_members f WHERE f.patrol_id = p.id AND f.member_id = @memberId))
           AND (
        """ + Participant + " OR " + Scope.Sees + """
               )
         ORDER BY p.started_at DESC, p.id DESC
         LIMIT @limit OFFSET @offset
        """;

    private const string MembersOf = "SELECT patrol_id, member_id FROM patrol_members WHERE patrol_id IN @ids ORDER BY id";

    private const string TrackOf = """
        SELECT kind, member_id, at, lat, lng, photo_ref, note FROM patrol_checkins WHERE patrol_id = @id ORDER BY at, id
        """;

    private const string LockForReview = """
        SELECT p.id, p.status, p.started_at, p.finished_at, (
        """ + Scope.Sees + ") AS allowed, (" + Participant + """
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

    private sealed class PatrolRow
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public long StartedBy { get; init; }
        public string Status { get; init; } = "";
        public DateTime StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public string? Flags { get; init; }
        public string? DecisionReason { get; init; }
    }

    private sealed record MemberOf(long PatrolId, long MemberId);

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

    public static async Task<Results<Ok<IReadOnlyList<PatrolView>>, ValidationProblem>> ListPatrols(
        HttpContext http, MySqlDataSource db, CancellationToken ct, long? gridId = null, long? memberId = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, PatrolStatus? status = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<PatrolRow>(new CommandDefinition(PatrolsPage, new
        {
            callerId = http.User.UserId(), gridId, memberId, status = status?.ToString(), from = from?.UtcDateTime, until = until?.UtcDateTime,
            limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct))).ToList();
        return TypedResults.Ok(await ToViewsAsync(connection, rows, withTrack: false, ct));
    }

    public static async Task<Results<Ok<PatrolView>, ProblemHttpResult>> GetPatrol(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(VisiblePatrol, new { id, callerId = http.User.UserId() }, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("patrol", id);
        }
        return TypedResults.Ok(await ReadAsync(connection, id, withTrack: true, ct));
    }

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
            await PointsLedger.AwardAsync(connection, transaction, target.MemberId, WorkKind.PatrolCompleted, "Patrol", target.SourceId, 1, occurredAt, callerId, now, ct);
            if (hours >= 1)
            {
                await PointsLedger.AwardAsync(connection, transaction, target.MemberId, WorkKind.PatrolHour, "PatrolHour", target.SourceId, hours, occurredAt, callerId, now, ct);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide, new { id, status = "Confirmed", callerId, now, reason = (string?)null }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, id, withTrack: true, ct));
    }

    public static async Task<Results<Ok<PatrolView>, ValidationProblem, ProblemHttpResult>> RejectPatrol(
        long id, Members.ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (Problems.CheckReason(request.Reason) is { } badReason)
        {
            return badReason;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var patrol = await connection.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(LockForReview, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckReview(patrol, id) is { } refused)
        {
            return refused;
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = nameof(PatrolStatus.Rejected), callerId, now = time.DbUtcNow(), reason = request.Reason!.Trim() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, id, withTrack: true, ct));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetGridArea(
        long gridId, GridAreaRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (request.CentreLat is < -90 or > 90 || request.CentreLng is < -180 or > 180)
        {
            return Problems.Invalid("centreLat", "A centre with latitude -90..90 and longitude -180..180.");
        }
        if (request.RadiusMeters is < 10 or > 50_000)
        {
            return Problems.Invalid("radiusMeters", "A radius from 10 to 50000 metres.");
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var grid = await UnitAccess.ReadAsync(connection, null, gridId, callerId, ct);
        if (grid is null || grid.Kind != nameof(OrgUnitKind.Grid))
        {
            return Problems.NotFound("grid", gridId);
        }
        if (!grid.Administers)
        {
            return Problems.Forbidden("A grid's area is set by an admin of its village or sub-district.");
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
            return Problems.NotFound("patrol", id);
        }
        if (patrol.Participant)
        {
            return Problems.Forbidden("Someone who did not patrol checks the patrol.");
        }
        return patrol.Status == nameof(PatrolStatus.Finished)
            ? null
            : Problems.Conflict($"The patrol is {patrol.Status}; only a finished patrol is confirmed or rejected.");
    }

    internal static async Task<PatrolView> ReadAsync(MySqlConnection connection, long id, bool withTrack, CancellationToken ct)
    {
        var row = await connection.QuerySingleAsync<PatrolRow>(new CommandDefinition(PatrolById, new { id }, cancellationToken: ct));
        return (await ToViewsAsync(connection, [row], withTrack, ct))[0];
    }

    private static async Task<IReadOnlyList<PatrolView>> ToViewsAsync(MySqlConnection connection, List<PatrolRow> rows, bool withTrack, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var members = (await connection.QueryAsync<MemberOf>(new CommandDefinition(MembersOf, new { ids = rows.Select(r => r.Id).ToList() }, cancellationToken: ct)))
            .ToLookup(m => m.PatrolId, m => m.MemberId);
        var views = new List<PatrolView>(rows.Count);
        foreach (var row in rows)
        {
            var track = withTrack
                ? (await connection.QueryAsync<TrackPoint>(new CommandDefinition(TrackOf, new { id = row.Id }, cancellationToken: ct))).ToList()
                : null;
            views.Add(new PatrolView(row.Id, row.GridId, row.StartedBy, Enum.Parse<PatrolStatus>(row.Status), row.StartedAt, row.FinishedAt,
                members[row.Id].ToList(),
                (row.Flags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<PatrolFlag>).ToList(),
                row.DecisionReason, track));
        }
        return views;
    }
}
