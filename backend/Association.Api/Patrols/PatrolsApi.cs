using Association.Api.Members;
using Association.Api.Photos;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>A member's side of a patrol: start it (alone or with companions), check in along the way, finish it.</summary>
public static class PatrolsApi
{
    public const int MaxCompanions = 20;

    public static RouteGroupBuilder MapPatrolsApi(this RouteGroupBuilder api)
    {

        api.MapPost("", StartPatrol)
            .WithSummary("Start a patrol in my grid, alone or with companions from the grid")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/join", JoinPatrol)
            .WithSummary("Join a team patrol of my grid while it is in progress")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/checkins", CheckIn)
            .WithSummary("Record where the patrol is now, with an optional photo reference and note")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/finish", FinishPatrol)
            .WithSummary("Finish my patrol; plausibility checks flag it for the grid leader when something is off")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private const string MyMember = "SELECT id, grid_id, status FROM members WHERE user_id = @callerId FOR UPDATE";

    private const string ActiveGridMembers = "SELECT id FROM members WHERE id IN @ids AND grid_id = @gridId AND status = 'Active'";

    private const string AlreadyPatrolling = "SELECT COUNT(*) FROM patrol_members WHERE member_id IN @ids AND in_progress_marker = 1";

    private const string InsertPatrol = """
        INSERT INTO patrols (grid_id, started_by, status, started_at) VALUES (@gridId, @memberId, 'InProgress', @at);
        SELECT LAST_INSERT_ID();
        """;

    private const string InsertParticipant = "INSERT INTO patrol_members (patrol_id, member_id, in_progress_marker) VALUES (@patrolId, @memberId, 1)";

    private const string InsertPoint = """
        INSERT INTO patrol_checkins (patrol_id, member_id, kind, at, lat, lng, photo_ref, note)
        VALUES (@patrolId, @memberId, @kind, @at, @lat, @lng, @photoRef, @note)
        """;

    // The caller's own patrol, locked: participants may check in, the starter may finish.
    private const string LockMyPatrol = """
        SELECT p.id, p.grid_id, p.started_by, p.status, p.started_at, pm.member_id AS my_member_id,
               (SELECT MAX(c.at) FROM patrol_checkins c WHERE c.patrol_id = p.id) AS last_at
          FROM patrols p
          JOIN patrol_members pm ON pm.patrol_id = p.id
          JOIN members m ON m.id = pm.member_id
         WHERE p.id = @id AND m.user_id = @callerId
           FOR UPDATE
        """;

    private const string LockPatrol = "SELECT id, grid_id, status FROM patrols WHERE id = @id FOR UPDATE";

    private const string Track = "SELECT at, lat, lng FROM patrol_checkins WHERE patrol_id = @id ORDER BY at, id";

    private const string AreaOf = "SELECT centre_lat, centre_lng, radius_m AS radius_meters FROM grid_areas WHERE grid_id = @gridId";

    private const string Finish = """
        UPDATE patrols SET status = 'Finished', finished_at = @at, flags = @flags WHERE id = @id;
        UPDATE patrol_members SET in_progress_marker = NULL WHERE patrol_id = @id;
        """;

    private sealed class MemberRow
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public string Status { get; init; } = "";
    }

    private sealed class MyPatrolRow
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public long StartedBy { get; init; }
        public string Status { get; init; } = "";
        public DateTime StartedAt { get; init; }
        public long MyMemberId { get; init; }
        public DateTime LastAt { get; init; }
    }

    public static async Task<Results<Created<PatrolView>, ValidationProblem, ProblemHttpResult>> StartPatrol(
        StartPatrolRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var companions = (request.Companions ?? []).Distinct().ToList();
        var at = Moment(request.At, time);
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var me = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(MyMember, new { callerId }, transaction, cancellationToken: ct));
        if (me is null || me.Status != nameof(MemberStatus.Active))
        {
            return Problems.Forbidden("patrols.member.notActive");
        }
        companions.Remove(me.Id);
        if (companions.Count > 0 && (await connection.QueryAsync<long>(new CommandDefinition(ActiveGridMembers,
                new { ids = companions, gridId = me.GridId }, transaction, cancellationToken: ct))).Count() != companions.Count)
        {
            return Problems.Invalid("companions", "patrols.companions.notInGrid");
        }
        var everyone = companions.Append(me.Id).ToList();
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(AlreadyPatrolling, new { ids = everyone }, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("patrols.patrol.companionBusy");
        }
        var patrolId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertPatrol, new { gridId = me.GridId, memberId = me.Id, at }, transaction, cancellationToken: ct));
        foreach (var memberId in everyone)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertParticipant, new { patrolId, memberId }, transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(InsertPoint, new
        {
            patrolId, memberId = me.Id, kind = "Start", at, lat = request.Lat, lng = request.Lng, photoRef = (string?)null, note = (string?)null,
        }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/patrols/{patrolId}",
            await PatrolRecordsApi.ReadAsync(connection, patrolId, withTrack: true, ct, transaction), ct);
    }

    public static async Task<Results<Ok<PatrolView>, ProblemHttpResult>> JoinPatrol(
        long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var me = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(MyMember, new { callerId }, transaction, cancellationToken: ct));
        if (me is null || me.Status != nameof(MemberStatus.Active))
        {
            return Problems.Forbidden("patrols.member.notActive");
        }
        var patrol = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(LockPatrol, new { id }, transaction, cancellationToken: ct));
        // A patrol of another grid is not offered to this member at all.
        if (patrol is null || patrol.GridId != me.GridId)
        {
            return Problems.NotFound("patrols.patrol.notFound");
        }
        if (patrol.Status != nameof(PatrolStatus.InProgress))
        {
            return Problems.Conflict("patrols.patrol.notInProgress", Enum.Parse<PatrolStatus>(patrol.Status));
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(AlreadyPatrolling, new { ids = new[] { me.Id } }, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("patrols.patrol.alreadyOnOne");
        }
        await connection.ExecuteAsync(new CommandDefinition(InsertParticipant, new { patrolId = id, memberId = me.Id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await PatrolRecordsApi.ReadAsync(connection, id, withTrack: true, ct));
    }

    public static async Task<Results<Ok<PatrolView>, ValidationProblem, ProblemHttpResult>> CheckIn(
        long id, CheckInRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var patrol = await connection.QuerySingleOrDefaultAsync<MyPatrolRow>(new CommandDefinition(LockMyPatrol, new { id, callerId = http.User.UserId() }, transaction, cancellationToken: ct));
        if (patrol is null)
        {
            return Problems.NotFound("patrols.patrol.notFound");
        }
        if (patrol.Status != nameof(PatrolStatus.InProgress))
        {
            return Problems.Conflict("patrols.patrol.notInProgress", Enum.Parse<PatrolStatus>(patrol.Status));
        }
        if (CheckOrder(request.At, patrol.StartedAt) is { } early)
        {
            return early;
        }
        if (await PhotoRefs.CheckOwnedAsync(connection, transaction, http.User.UserId(), request.PhotoRef is { } photo ? [photo] : null, "photoRef", ct) is { } notOwned)
        {
            return notOwned;
        }
        await connection.ExecuteAsync(new CommandDefinition(InsertPoint, new
        {
            patrolId = id, memberId = patrol.MyMemberId, kind = "CheckIn", at = Moment(request.At, time), lat = request.Lat, lng = request.Lng,
            photoRef = request.PhotoRef?.Trim(), note = request.Note?.Trim(),
        }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitOkAsync(http, connection, transaction, await PatrolRecordsApi.ReadAsync(connection, id, withTrack: true, ct, transaction), ct);
    }

    public static async Task<Results<Ok<PatrolView>, ValidationProblem, ProblemHttpResult>> FinishPatrol(
        long id, FinishPatrolRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var patrol = await connection.QuerySingleOrDefaultAsync<MyPatrolRow>(new CommandDefinition(LockMyPatrol, new { id, callerId = http.User.UserId() }, transaction, cancellationToken: ct));
        if (patrol is null || patrol.StartedBy != patrol.MyMemberId)
        {
            return Problems.NotFound("patrols.patrol.notFound");
        }
        if (patrol.Status != nameof(PatrolStatus.InProgress))
        {
            return Problems.Conflict("patrols.patrol.notInProgress", Enum.Parse<PatrolStatus>(patrol.Status));
        }
        if (CheckOrder(request.At, patrol.LastAt) is { } early)
        {
            return early;
        }
        var at = Moment(request.At, time);
        await connection.ExecuteAsync(new CommandDefinition(InsertPoint, new
        {
            patrolId = id, memberId = patrol.MyMemberId, kind = "End", at, lat = request.Lat, lng = request.Lng, photoRef = (string?)null, note = (string?)null,
        }, transaction, cancellationToken: ct));
        var track = (await connection.QueryAsync<PatrolPlausibility.Point>(new CommandDefinition(Track, new { id }, transaction, cancellationToken: ct))).ToList();
        var area = await connection.QuerySingleOrDefaultAsync<PatrolPlausibility.Area>(new CommandDefinition(AreaOf, new { gridId = patrol.GridId }, transaction, cancellationToken: ct));
        var flags = PatrolPlausibility.Check(track, area);
        await connection.ExecuteAsync(new CommandDefinition(Finish,
            new { id, at, flags = flags.Count == 0 ? null : string.Join(',', flags) }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await PatrolRecordsApi.ReadAsync(connection, id, withTrack: true, ct));
    }

    /// <summary>An offline-logged moment may be late (the request's rules bound it), but never before what it follows.</summary>
    private static ValidationProblem? CheckOrder(DateTimeOffset? at, DateTime notBefore) =>
        at is { } moment && moment.UtcDateTime < notBefore ? Problems.Invalid("at", "patrols.at.outOfOrder") : null;

    private static DateTime Moment(DateTimeOffset? at, TimeProvider time)
    {
        var utc = at?.UtcDateTime ?? time.GetUtcNow().UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }
}
