using System.Security.Cryptography;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>Grid leaders and admins hold events for their unit; members of the unit (or everyone, for public events) read them.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", CreateEvent)
            .WithSummary("Create an event of a unit the caller holds a role on or above")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("", ListEvents)
            .WithSummary("Events the caller may see: of their units, of their members' grids, and public ones; newest first; ended=true for those over")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetEvent)
            .WithSummary("One event with its counts and the caller's own sign-up")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private const string Insert = """
        INSERT INTO events (unit_id, kind, title, description, place, lat, lng, radius_meters, starts_at, ends_at, signup_deadline,
                            capacity, waitlist_capacity, audience, status, qr_secret, plan_item_id, created_by, created_at)
        VALUES (@unitId, @kind, @title, @description, @place, @lat, @lng, @radiusMeters, @startsAt, @endsAt, @signupDeadline,
                @capacity, @waitlistCapacity, @audience, 'Open', @secret, @planItemId, @callerId, @now);
        SELECT LAST_INSERT_ID();
        """;

    /// <summary>
    /// An item of a plan of the event's unit or a unit above it (<c>target</c> is the plan's unit), which the caller may read:
    /// a role holder over it, or any plan once published (the caller holds a role over the event's unit beneath it).
    /// </summary>
    private const string PlanItemAbove = """
        SELECT COUNT(*) FROM work_plan_items i JOIN work_plans p ON p.id = i.plan_id JOIN org_units target ON target.id = p.unit_id
          JOIN org_units event_unit ON event_unit.id = @unitId
         WHERE i.id = @planItemId AND event_unit.path LIKE CONCAT(target.path, '%') AND (p.status = 'Published' OR
        """ + " " + Scope.Sees + ")";

    public static async Task<Results<Created<EventView>, ValidationProblem, ProblemHttpResult>> CreateEvent(
        NewEventRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await UnitAccess.ReadAsync(connection, transaction, request.UnitId, callerId, ct) is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (request.PlanItemId is not null && await connection.ExecuteScalarAsync<long>(new CommandDefinition(PlanItemAbove,
                new { request.UnitId, request.PlanItemId, callerId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Invalid("planItemId", "events.event.planItem");
        }
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            request.UnitId, kind = request.Kind.ToString(), title = request.Title!.Trim(), description = request.Description?.Trim(),
            place = request.Place!.Trim(), request.Lat, request.Lng, request.RadiusMeters,
            startsAt = request.StartsAt.UtcDateTime, endsAt = request.EndsAt.UtcDateTime, signupDeadline = request.SignupDeadline.UtcDateTime,
            request.Capacity, request.WaitlistCapacity, audience = request.Audience.ToString(), secret = RandomNumberGenerator.GetBytes(32), request.PlanItemId,
            callerId, now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        var view = (await EventRows.ReadAsync(connection, transaction, id, callerId, ct))!;
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/events/{id}", view, ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<EventView>>, ValidationProblem>> ListEvents(
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, long? unitId = null, bool upcoming = false,
        EventStatus? status = null, bool ended = false, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<EventRows.EventRow>(new CommandDefinition(EventRows.Page, new
        {
            callerId = http.User.UserId(), unitId, from = upcoming ? time.DbUtcNow() : (DateTime?)null, status = status?.ToString(),
            endedBy = ended ? time.DbUtcNow() : (DateTime?)null, limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<EventView>>(rows.Select(r => r.ToView(null)).ToList());
    }

    public static async Task<Results<Ok<EventView>, ProblemHttpResult>> GetEvent(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await EventRows.ReadAsync(connection, null, id, http.User.UserId(), ct) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound("events.event.notFound");
    }
}
