using Association.Api.Notifications;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>
/// An organiser changes an event before it starts or cancels it before it ends; everyone signed up or waiting is told
/// of a new time or place, and of a cancellation with its reason.
/// </summary>
public static class EventOrganiserApi
{
    public static RouteGroupBuilder MapEventOrganiserApi(this RouteGroupBuilder api)
    {
        api.MapPut("/{id}", EditEvent)
            .WithSummary("Change an event before it starts: title, place, times, capacity (a larger one promotes the waiting list)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/cancel", CancelEvent)
            .WithSummary("Cancel an event before it ends, with a reason told to everyone signed up or waiting")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string LockEvent = """
        SELECT e.id, e.title, e.place, e.status, e.starts_at, e.ends_at, e.signed_up FROM events e JOIN org_units target ON target.id = e.unit_id
         WHERE e.id = @id AND
        """ + " " + Scope.Sees + " FOR UPDATE";

    private const string Edit = """
        UPDATE events SET title = @title, description = @description, place = @place, starts_at = @startsAt, ends_at = @endsAt,
               signup_deadline = @signupDeadline, capacity = @capacity, waitlist_capacity = @waitlistCapacity
         WHERE id = @id
        """;

    private const string Cancel = """
        UPDATE events SET status = 'Cancelled', cancelled_by = @callerId, cancelled_at = @now, cancel_reason = @reason WHERE id = @id
        """;

    private const string TellParticipants = Notices.InsertInto + """
        SELECT s.user_id, @kind, @eventKey, @title, @body, @path, @now, 'Pending'
          FROM event_signups s WHERE s.event_id = @id AND s.state IN ('Confirmed', 'Waiting')
        """ + Notices.SkipTold;

    private sealed class EventRow
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public string Place { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
        public int SignedUp { get; init; }
    }

    public static async Task<Results<Ok<EventView>, ValidationProblem, ProblemHttpResult>> EditEvent(
        long id, EditEventRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var e = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(LockEvent, new { id, callerId }, transaction, cancellationToken: ct));
        if (e is null)
        {
            return Problems.NotFound("events.event.notFound");
        }
        if (e.Status != nameof(EventStatus.Open) || now >= e.StartsAt)
        {
            return Problems.Conflict("events.event.started");
        }
        if (request.Capacity < e.SignedUp)
        {
            return Problems.Invalid("capacity", "events.event.capacityBelowSignups", e.SignedUp);
        }
        await connection.ExecuteAsync(new CommandDefinition(Edit, new
        {
            id, title = request.Title!.Trim(), description = request.Description?.Trim(), place = request.Place!.Trim(),
            startsAt = request.StartsAt.UtcDateTime, endsAt = request.EndsAt.UtcDateTime, signupDeadline = request.SignupDeadline.UtcDateTime,
            request.Capacity, request.WaitlistCapacity,
        }, transaction, cancellationToken: ct));
        await EventSignupsApi.PromoteWaitingAsync(connection, transaction, id, request.Capacity - e.SignedUp, now, ct);
        var moved = request.StartsAt.UtcDateTime != e.StartsAt || request.EndsAt.UtcDateTime != e.EndsAt || request.Place!.Trim() != e.Place;
        if (moved)
        {
            await TellAsync(connection, transaction, id, NotificationKind.EventChanged, now, ct, request.Title!.Trim(),
                Notices.Day(request.StartsAt.UtcDateTime) + request.StartsAt.ToOffset(Platform.ChinaTime.Offset).ToString(" HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                request.Place!.Trim());
        }
        var view = (await EventRows.ReadAsync(connection, transaction, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<EventView>, ValidationProblem, ProblemHttpResult>> CancelEvent(
        long id, CancelEventRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var e = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(LockEvent, new { id, callerId }, transaction, cancellationToken: ct));
        if (e is null)
        {
            return Problems.NotFound("events.event.notFound");
        }
        if (e.Status != nameof(EventStatus.Open) || now >= e.EndsAt)
        {
            return Problems.Conflict("events.event.notCancellable");
        }
        var reason = request.Reason!.Trim();
        await connection.ExecuteAsync(new CommandDefinition(Cancel, new { id, callerId, now, reason }, transaction, cancellationToken: ct));
        await TellAsync(connection, transaction, id, NotificationKind.EventCancelled, now, ct, e.Title, reason);
        var view = (await EventRows.ReadAsync(connection, transaction, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    private static Task<int> TellAsync(MySqlConnection connection, MySqlTransaction transaction, long id, NotificationKind kind, DateTime now,
        CancellationToken ct, params object?[] args) =>
        connection.ExecuteAsync(new CommandDefinition(TellParticipants, new
        {
            id, kind = kind.ToString(), eventKey = $"event:{id}:{kind}:{now.Ticks}", title = Notices.Title(kind), body = Notices.Body(kind, args),
            path = $"/events/{id}", now,
        }, transaction, cancellationToken: ct));
}
