using Association.Api.Notifications;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>
/// Sign-up and cancellation. Both lock the event's row first, so places are counted on settled numbers: a hundred
/// sign-ups for the last place give it once and queue or refuse the rest. A freed place goes to the first in the queue.
/// </summary>
public static class EventSignupsApi
{
    public static RouteGroupBuilder MapEventSignupsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/signups", SignUp)
            .WithSummary("Sign up for an event: a place while there is one, else the waiting list (or a refusal when asked not to wait)")
            .Idempotent()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{id}/signups/mine", CancelSignup)
            .WithSummary("Cancel the caller's sign-up before the event starts; the first on the waiting list takes the place")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id}/signups", ListSignups)
            .WithSummary("The event's sign-ups, for its organisers (names masked)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private const string LockEvent = """
        SELECT e.id, e.status, e.audience, e.starts_at, e.signup_deadline, e.capacity, e.waitlist_capacity, e.signed_up, e.waiting, (
        """ + EventRows.CallerSees + ") AS visible, " + Scope.MemberIdBeneath + """
         AS unit_member_id, (SELECT mine.id FROM members mine WHERE mine.user_id = @callerId AND mine.status = 'Active') AS member_id
          FROM events e JOIN org_units target ON target.id = e.unit_id
         WHERE e.id = @id
           FOR UPDATE
        """;

    private const string CurrentState = "SELECT state FROM event_signups WHERE event_id = @id AND user_id = @callerId FOR UPDATE";

    private const string Upsert = """
        INSERT INTO event_signups (event_id, user_id, member_id, state, queued_at) VALUES (@id, @callerId, @memberId, @state, @now)
        ON DUPLICATE KEY UPDATE member_id = VALUES(member_id), state = VALUES(state), queued_at = VALUES(queued_at), cancelled_at = NULL;
        UPDATE events SET signed_up = signed_up + (@state = 'Confirmed'), waiting = waiting + (@state = 'Waiting') WHERE id = @id;
        """;

    private const string Cancel = """
        UPDATE event_signups SET state = 'Cancelled', cancelled_at = @now WHERE event_id = @id AND user_id = @callerId;
        UPDATE events SET signed_up = signed_up - (@was = 'Confirmed'), waiting = waiting - (@was = 'Waiting') WHERE id = @id;
        """;

    private const string FirstWaiting = """
        SELECT s.id, s.user_id FROM event_signups s
         WHERE s.event_id = @id AND s.state = 'Waiting' ORDER BY s.queued_at, s.id LIMIT 1 FOR UPDATE
        """;

    private const string Promote = """
        UPDATE event_signups SET state = 'Confirmed' WHERE id = @signupId;
        UPDATE events SET signed_up = signed_up + 1, waiting = waiting - 1 WHERE id = @id;
        SELECT title FROM events WHERE id = @id;
        """;

    private sealed class EventLock
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public string Audience { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public DateTime SignupDeadline { get; init; }
        public int Capacity { get; init; }
        public int WaitlistCapacity { get; init; }
        public int SignedUp { get; init; }
        public int Waiting { get; init; }
        public bool Visible { get; init; }
        public long? UnitMemberId { get; init; }
        public long? MemberId { get; init; }
    }

    private sealed record Waiter(long Id, long UserId);

    public static async Task<Results<Created<SignupView>, ProblemHttpResult>> SignUp(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, SignupRequest? request = null)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        // Claimed before the checks: a retry of a sign-up whose answer was lost finds "already signed up", and must get
        // the first answer back instead.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var e = await connection.QuerySingleOrDefaultAsync<EventLock>(new CommandDefinition(LockEvent, new { id, callerId }, transaction, cancellationToken: ct));
        if (e is null || !e.Visible)
        {
            return Problems.NotFound("events.event.notFound");
        }
        var memberId = e.Audience == nameof(EventAudience.Public) ? e.MemberId : e.UnitMemberId;
        if (memberId is null && e.Audience == nameof(EventAudience.Members))
        {
            return Problems.Forbidden("events.signup.membersOnly");
        }
        if (e.Status != nameof(EventStatus.Open) || now >= e.SignupDeadline)
        {
            return Problems.Conflict("events.signup.closed");
        }
        var state = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(CurrentState, new { id, callerId }, transaction, cancellationToken: ct));
        if (state is nameof(SignupState.Confirmed) or nameof(SignupState.Waiting))
        {
            return Problems.Conflict("events.signup.already", Enum.Parse<SignupState>(state));
        }
        var placed = e.SignedUp < e.Capacity;
        if (!placed && (request?.Waitlist == false || e.Waiting >= e.WaitlistCapacity))
        {
            return Problems.Conflict("events.signup.full");
        }
        var to = placed ? nameof(SignupState.Confirmed) : nameof(SignupState.Waiting);
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new { id, callerId, memberId, state = to, now }, transaction, cancellationToken: ct));
        var view = await EventRows.ReadMineAsync(connection, transaction, id, callerId, ct);
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/events/{id}/signups/mine", view, ct);
    }

    public static async Task<Results<Ok<SignupView>, ProblemHttpResult>> CancelSignup(long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var e = await connection.QuerySingleOrDefaultAsync<EventLock>(new CommandDefinition(LockEvent, new { id, callerId }, transaction, cancellationToken: ct));
        var was = e is null ? null
            : await connection.ExecuteScalarAsync<string?>(new CommandDefinition(CurrentState, new { id, callerId }, transaction, cancellationToken: ct));
        if (e is null || was is null or nameof(SignupState.Cancelled))
        {
            return Problems.NotFound("events.signup.notFound");
        }
        if (e.Status != nameof(EventStatus.Open) || now >= e.StartsAt)
        {
            return Problems.Conflict("events.signup.started");
        }
        await connection.ExecuteAsync(new CommandDefinition(Cancel, new { id, callerId, was, now }, transaction, cancellationToken: ct));
        if (was == nameof(SignupState.Confirmed))
        {
            await PromoteWaitingAsync(connection, transaction, id, 1, now, ct);
        }
        var view = await EventRows.ReadMineAsync(connection, transaction, id, callerId, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    /// <summary>Gives up to <paramref name="places"/> freed places to the first on the waiting list, in order, and tells each. The event is locked.</summary>
    internal static async Task PromoteWaitingAsync(MySqlConnection connection, MySqlTransaction transaction, long id, int places, DateTime now,
        CancellationToken ct)
    {
        for (var i = 0; i < places; i++)
        {
            if (await connection.QuerySingleOrDefaultAsync<Waiter>(new CommandDefinition(FirstWaiting, new { id }, transaction, cancellationToken: ct))
                is not { } next)
            {
                return;
            }
            var title = await connection.ExecuteScalarAsync<string>(new CommandDefinition(Promote, new { id, signupId = next.Id }, transaction, cancellationToken: ct));
            await Notices.WriteAsync(connection, transaction, now, ct,
                new Notice(next.UserId, NotificationKind.EventPromoted, $"event:{id}:promoted:{next.Id}:{now.Ticks}", $"/events/{id}", title));
        }
    }

    public static async Task<Results<Ok<IReadOnlyList<SignupView>>, ProblemHttpResult>> ListSignups(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await EventOrganiser.IsOrganiserAsync(connection, null, id, http.User.UserId(), ct))
        {
            return Problems.NotFound("events.event.notFound");
        }
        var rows = await connection.QueryAsync<EventRows.SignupRow>(new CommandDefinition(EventRows.OfEvent, new { id }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<SignupView>>(rows.Select(r => r.ToView()).ToList());
    }
}
