using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Points;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>
/// The organiser confirms attendance once, for everyone at once: those checked in (less the ones marked absent) and the
/// ones marked present attended, every other place is a no-show. Each attending member earns the EventAttended rule's
/// points through the ledger, once per sign-up whatever the concurrency, and the service time is added to their year.
/// </summary>
public static class EventAttendanceApi
{
    public static RouteGroupBuilder MapEventAttendanceApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/attendance", ConfirmAttendance)
            .WithSummary("Confirm the event's attendance once it has started: points to members who attended, no-shows counted")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static RouteGroupBuilder MapServiceHoursApi(this RouteGroupBuilder api)
    {
        api.MapGet("/service-hours", GetServiceHours)
            .WithSummary("The caller's service time (服务时长) and events attended in a China year")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private const string LockEvent = """
        SELECT e.id, e.status, e.starts_at, e.ends_at FROM events e JOIN org_units target ON target.id = e.unit_id
         WHERE e.id = @id AND
        """ + " " + Scope.Sees + " FOR UPDATE";

    private const string Places = """
        SELECT s.id, s.member_id, m.user_id AS member_user_id, s.checked_in_at, s.checked_out_at
          FROM event_signups s LEFT JOIN members m ON m.id = s.member_id
         WHERE s.event_id = @id AND s.state = 'Confirmed'
         ORDER BY s.member_id, s.id
        """;

    private const string Mark = "UPDATE event_signups SET attendance = @attendance, minutes = @minutes WHERE id = @signupId";

    private const string AddHours = """
        INSERT INTO member_service_hours (member_id, year, minutes, events) VALUES (@memberId, @year, @minutes, 1)
        ON DUPLICATE KEY UPDATE minutes = minutes + VALUES(minutes), events = events + 1
        """;

    private const string Complete = "UPDATE events SET status = 'Completed', attendance_by = @callerId, attendance_at = @now WHERE id = @id";

    private const string Hours = """
        SELECT m.id AS member_id, CAST(COALESCE(h.minutes, 0) AS SIGNED) AS minutes, CAST(COALESCE(h.events, 0) AS SIGNED) AS events
          FROM members m LEFT JOIN member_service_hours h ON h.member_id = m.id AND h.year = @year
         WHERE m.user_id = @callerId
        """;

    private sealed class EventRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
    }

    private sealed class Place
    {
        public long Id { get; init; }
        public long? MemberId { get; init; }
        public long? MemberUserId { get; init; }
        public DateTime? CheckedInAt { get; init; }
        public DateTime? CheckedOutAt { get; init; }
    }

    private sealed record HoursRow(long MemberId, long Minutes, long Events);

    /// <summary>Service time inside the event's hours: from check-in (or the start) to check-out (or the end).</summary>
    public static int CreditedMinutes(DateTime startsAt, DateTime endsAt, DateTime? checkedInAt, DateTime? checkedOutAt)
    {
        var from = checkedInAt is { } inAt && inAt > startsAt ? inAt : startsAt;
        var to = checkedOutAt is { } outAt && outAt < endsAt ? outAt : endsAt;
        return to > from ? (int)(to - from).TotalMinutes : 0;
    }

    public static async Task<Results<Ok<AttendanceResult>, ValidationProblem, ProblemHttpResult>> ConfirmAttendance(
        long id, AttendanceRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var e = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(LockEvent, new { id, callerId }, transaction, cancellationToken: ct));
        if (e is null)
        {
            return Problems.NotFound("events.event.notFound");
        }
        if (e.Status != nameof(EventStatus.Open))
        {
            return Problems.Conflict("events.attendance.confirmed", Enum.Parse<EventStatus>(e.Status));
        }
        if (now < e.StartsAt)
        {
            return Problems.Conflict("events.attendance.notStarted");
        }
        var places = (await connection.QueryAsync<Place>(new CommandDefinition(Places, new { id }, transaction, cancellationToken: ct))).ToList();
        var present = request.Present?.ToHashSet() ?? [];
        var absent = request.Absent?.ToHashSet() ?? [];
        if (present.Concat(absent).FirstOrDefault(signup => places.All(p => p.Id != signup)) is var unknown and not 0)
        {
            return Problems.Invalid(present.Contains(unknown) ? "present" : "absent", "events.attendance.unknownSignup", unknown);
        }
        var startsAt = DateTime.SpecifyKind(e.StartsAt, DateTimeKind.Utc);
        var year = new DateTimeOffset(startsAt).ChinaDay().Year;
        int attended = 0, awarded = 0;
        foreach (var place in places)
        {
            var came = present.Contains(place.Id) || (place.CheckedInAt is not null && !absent.Contains(place.Id));
            var minutes = came ? CreditedMinutes(e.StartsAt, e.EndsAt, present.Contains(place.Id) ? null : place.CheckedInAt, place.CheckedOutAt) : 0;
            await connection.ExecuteAsync(new CommandDefinition(Mark, new
            {
                signupId = place.Id, attendance = came ? nameof(Attendance.Attended) : nameof(Attendance.NoShow), minutes = came ? minutes : (int?)null,
            }, transaction, cancellationToken: ct));
            if (!came)
            {
                continue;
            }
            attended++;
            if (place.MemberId is not { } memberId)
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(AddHours, new { memberId, year, minutes }, transaction, cancellationToken: ct));
            // An organiser who took part is not the one to confirm their own points.
            if (place.MemberUserId != callerId)
            {
                var award = await PointsLedger.AwardAsync(connection, transaction, memberId, WorkKind.EventAttended, AwardSourceKind.Event, place.Id, 1,
                    new DateTimeOffset(startsAt), callerId, now, ct);
                awarded += award.Decision == AwardDecision.Awarded ? 1 : 0;
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(Complete, new { id, callerId, now }, transaction, cancellationToken: ct));
        var signups = await connection.QueryAsync<EventRows.SignupRow>(new CommandDefinition(EventRows.OfEvent, new { id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new AttendanceResult(id, attended, places.Count - attended, awarded, signups.Select(s => s.ToView()).ToList()));
    }

    public static async Task<Results<Ok<ServiceHours>, ValidationProblem, ProblemHttpResult>> GetServiceHours(
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, int? year = null)
    {
        var theYear = year ?? time.Today().Year;
        if (theYear is < 2000 or > 2100)
        {
            return Problems.Invalid("year", "validation.year");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<HoursRow>(new CommandDefinition(Hours, new { callerId = http.User.UserId(), year = theYear }, cancellationToken: ct));
        return row is null
            ? Problems.NotAMember()
            : TypedResults.Ok(new ServiceHours(row.MemberId, theYear, (int)row.Minutes, Math.Round(row.Minutes / 60m, 1), (int)row.Events));
    }
}
