using Association.Api.Patrols;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>
/// Check-in on the spot: the organiser's phone shows a rotating code, or the member's phone is inside the event's area, in
/// the event's window (from half an hour before the start to its end; check-out until an hour after it).
/// </summary>
public static class EventCheckInApi
{
    public static readonly TimeSpan OpensBeforeStart = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan CheckOutAfterEnd = TimeSpan.FromHours(1);

    public static RouteGroupBuilder MapEventCheckInApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id}/check-in-code", GetCheckInCode)
            .WithSummary("The code the organiser's phone shows as a QR code; ask again at refreshAt, an old code stops working")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/check-in", CheckInAtEvent)
            .WithSummary("Check in with the scanned code or the phone's position inside the event's area")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/check-out", CheckOutOfEvent)
            .WithSummary("Check out the same way; the time between check-in and check-out, inside the event's hours, is the service time")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string Secret = """
        SELECT e.id, e.status, e.qr_secret, e.starts_at, e.ends_at FROM events e JOIN org_units target ON target.id = e.unit_id
         WHERE e.id = @id AND
        """ + " " + Scope.Sees;

    private const string LockMine = """
        SELECT e.id, e.status, e.qr_secret, e.starts_at, e.ends_at, e.lat, e.lng, e.radius_meters,
               s.id AS signup_id, s.state, s.checked_in_at, s.checked_out_at
          FROM events e JOIN event_signups s ON s.event_id = e.id AND s.user_id = @callerId
         WHERE e.id = @id
           FOR UPDATE
        """;

    private const string MarkIn = "UPDATE event_signups SET checked_in_at = @now, check_in_method = @method WHERE id = @signupId";

    private const string MarkOut = "UPDATE event_signups SET checked_out_at = @now WHERE id = @signupId";

    private sealed class SecretRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public byte[] QrSecret { get; init; } = [];
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
    }

    private sealed class MineRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public byte[] QrSecret { get; init; } = [];
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
        public decimal? Lat { get; init; }
        public decimal? Lng { get; init; }
        public int? RadiusMeters { get; init; }
        public long SignupId { get; init; }
        public string State { get; init; } = "";
        public DateTime? CheckedInAt { get; init; }
        public DateTime? CheckedOutAt { get; init; }
    }

    public static async Task<Results<Ok<CheckInCode>, ProblemHttpResult>> GetCheckInCode(long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var e = await connection.QuerySingleOrDefaultAsync<SecretRow>(new CommandDefinition(Secret, new { id, callerId = http.User.UserId() }, cancellationToken: ct));
        if (e is null)
        {
            return Problems.NotFound("events.event.notFound");
        }
        var now = time.GetUtcNow();
        if (e.Status != nameof(EventStatus.Open) || now.UtcDateTime < e.StartsAt - OpensBeforeStart || now.UtcDateTime > e.EndsAt + CheckOutAfterEnd)
        {
            return Problems.Conflict("events.checkIn.outsideWindow");
        }
        var slot = CheckInCodes.SlotOf(now);
        return TypedResults.Ok(new CheckInCode(id, CheckInCodes.Issue(id, e.QrSecret, slot), CheckInCodes.SlotSeconds, CheckInCodes.SlotEnd(slot).UtcDateTime));
    }

    public static Task<Results<Ok<SignupView>, ValidationProblem, ProblemHttpResult>> CheckInAtEvent(
        long id, EventCheckInRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MarkAsync(id, request, checkOut: false, http, db, time, ct);

    public static Task<Results<Ok<SignupView>, ValidationProblem, ProblemHttpResult>> CheckOutOfEvent(
        long id, EventCheckInRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MarkAsync(id, request, checkOut: true, http, db, time, ct);

    private static async Task<Results<Ok<SignupView>, ValidationProblem, ProblemHttpResult>> MarkAsync(
        long id, EventCheckInRequest request, bool checkOut, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var e = await connection.QuerySingleOrDefaultAsync<MineRow>(new CommandDefinition(LockMine, new { id, callerId }, transaction, cancellationToken: ct));
        if (e is null || e.State == nameof(SignupState.Cancelled))
        {
            return Problems.NotFound("events.signup.notFound");
        }
        if (e.State != nameof(SignupState.Confirmed))
        {
            return Problems.Forbidden("events.checkIn.waiting");
        }
        var opens = e.StartsAt - OpensBeforeStart;
        var closes = checkOut ? e.EndsAt + CheckOutAfterEnd : e.EndsAt;
        if (e.Status != nameof(EventStatus.Open) || now.UtcDateTime < opens || now.UtcDateTime > closes)
        {
            return Problems.Conflict("events.checkIn.outsideWindow");
        }
        if (request.Code is { } code)
        {
            switch (CheckInCodes.Check(code.Trim(), id, e.QrSecret, now))
            {
                case CheckInCodes.Verdict.Invalid: return Problems.Invalid("code", "events.checkIn.codeInvalid");
                case CheckInCodes.Verdict.Expired: return Problems.Invalid("code", "events.checkIn.codeExpired");
                case CheckInCodes.Verdict.OtherEvent: return Problems.Invalid("code", "events.checkIn.otherEvent");
            }
        }
        else if (e.Lat is null || e.Lng is null || e.RadiusMeters is null)
        {
            return Problems.Invalid("lat", "events.checkIn.noArea");
        }
        else if (PatrolPlausibility.Metres(request.Lat!.Value, request.Lng!.Value, e.Lat.Value, e.Lng.Value) > e.RadiusMeters)
        {
            return Problems.Invalid("lat", "events.checkIn.outsideArea", e.RadiusMeters);
        }
        if (checkOut ? e.CheckedInAt is null : e.CheckedInAt is not null)
        {
            return Problems.Conflict(checkOut ? "events.checkOut.notCheckedIn" : "events.checkIn.already");
        }
        if (checkOut && e.CheckedOutAt is not null)
        {
            return Problems.Conflict("events.checkOut.already");
        }
        var method = request.Code is null ? nameof(CheckInMethod.Position) : nameof(CheckInMethod.Code);
        await connection.ExecuteAsync(new CommandDefinition(checkOut ? MarkOut : MarkIn,
            new { signupId = e.SignupId, now = time.DbUtcNow(), method }, transaction, cancellationToken: ct));
        var view = await EventRows.ReadMineAsync(connection, transaction, id, callerId, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }
}
