using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

namespace Association.Api.Events;

/// <summary>Kinds of member activity the association holds (standard 10 of the source).</summary>
[JsonConverter(typeof(EnumNames<EventKind>))]
public enum EventKind
{
    Patrol,
    Publicity,
    Training,
    Drill,
    Meeting,
    VolunteerService,
}

/// <summary>Who may sign up: the unit's members, or every signed-in resident (members among them earn points).</summary>
[JsonConverter(typeof(EnumNames<EventAudience>))]
public enum EventAudience
{
    Members,
    Public,
}

[JsonConverter(typeof(EnumNames<EventStatus>))]
public enum EventStatus
{
    Open,
    Completed,
    Cancelled,
}

[JsonConverter(typeof(EnumNames<SignupState>))]
public enum SignupState
{
    Confirmed,
    Waiting,
    Cancelled,
}

[JsonConverter(typeof(EnumNames<CheckInMethod>))]
public enum CheckInMethod
{
    Code,
    Position,
}

[JsonConverter(typeof(EnumNames<Attendance>))]
public enum Attendance
{
    Attended,
    NoShow,
}

/// <param name="UnitId">The grid, village or sub-district holding the event; the caller holds a role on it or above.</param>
/// <param name="Lat">The meeting point, with <c>RadiusMeters</c>: where a check-in by position is accepted.</param>
/// <param name="SignupDeadline">Sign-ups close then; at the latest when the event starts.</param>
/// <param name="WaitlistCapacity">How many may wait for a place once the event is full; 0 for no waiting list.</param>
/// <param name="PlanItemId">The item of a quarterly work plan this event carries out: a plan of the event's unit or of a unit above it.</param>
public sealed record NewEventRequest(long UnitId, EventKind Kind, string? Title, string? Description, string? Place, decimal? Lat, decimal? Lng,
    int? RadiusMeters, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset SignupDeadline, int Capacity, int WaitlistCapacity,
    EventAudience Audience, long? PlanItemId = null) : IValidatedRequest
{
    public const int MaxCapacity = 2_000;

    public void Validate(RequestRules rules)
    {
        rules.Range(UnitId, "unitId", 1, long.MaxValue, "org.unit.notFound");
        rules.Defined<EventKind>(Kind, "kind");
        rules.Defined<EventAudience>(Audience, "audience");
        rules.Text(Title, "title", 2, 100);
        rules.OptionalText(Description, "description", 2000);
        rules.Text(Place, "place", 2, 200);
        if (rules.Position(Lat, Lng))
        {
            rules.Check((Lat is null) == (RadiusMeters is null), "radiusMeters", "events.event.radius");
            if (RadiusMeters is not null)
            {
                rules.Range(RadiusMeters, "radiusMeters", 20, 5_000);
            }
        }
        rules.Check(StartsAt > rules.Now && StartsAt < rules.Now.AddYears(1), "startsAt", "events.event.startsAt");
        rules.Check(EndsAt > StartsAt && EndsAt - StartsAt <= TimeSpan.FromHours(24), "endsAt", "events.event.endsAt");
        rules.Check(SignupDeadline <= StartsAt && SignupDeadline > rules.Now, "signupDeadline", "events.event.signupDeadline");
        rules.Range(Capacity, "capacity", 1, MaxCapacity);
        rules.Range(WaitlistCapacity, "waitlistCapacity", 0, MaxCapacity);
        if (PlanItemId is not null)
        {
            rules.Range(PlanItemId, "planItemId", 1, long.MaxValue, "events.event.planItem");
        }
    }
}

/// <summary>
/// What an organiser may change before the event starts. Who may sign up, the unit and the meeting point stay as they
/// were; a capacity below the places already taken is refused, a larger one gives places to the waiting list in order.
/// </summary>
public sealed record EditEventRequest(string? Title, string? Description, string? Place, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    DateTimeOffset SignupDeadline, int Capacity, int WaitlistCapacity) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Text(Title, "title", 2, 100);
        rules.OptionalText(Description, "description", 2000);
        rules.Text(Place, "place", 2, 200);
        rules.Check(StartsAt > rules.Now && StartsAt < rules.Now.AddYears(1), "startsAt", "events.event.startsAt");
        rules.Check(EndsAt > StartsAt && EndsAt - StartsAt <= TimeSpan.FromHours(24), "endsAt", "events.event.endsAt");
        rules.Check(SignupDeadline <= StartsAt, "signupDeadline", "events.event.signupDeadline");
        rules.Range(Capacity, "capacity", 1, NewEventRequest.MaxCapacity);
        rules.Range(WaitlistCapacity, "waitlistCapacity", 0, NewEventRequest.MaxCapacity);
    }
}

public sealed record CancelEventRequest(string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Reason(Reason);
}

/// <param name="Waitlist">Whether to wait for a place when the event is full; otherwise a full event refuses the sign-up.</param>
public sealed record SignupRequest(bool Waitlist = true);

/// <summary>A check-in or check-out: the code the organiser's phone shows, or the phone's position inside the event's area.</summary>
public sealed record EventCheckInRequest(string? Code, decimal? Lat, decimal? Lng) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        if (Code is not null)
        {
            rules.Text(Code, "code", 10, 120);
            rules.Check(Lat is null && Lng is null, "lat", "events.checkIn.oneProof");
        }
        else
        {
            rules.Position(Lat, Lng, required: true);
        }
    }
}

/// <param name="Present">Sign-ups who attended without checking in (a paper sheet): counted as attended for the whole event.</param>
/// <param name="Absent">Sign-ups who checked in but did not take part: counted as no-shows.</param>
public sealed record AttendanceRequest(IReadOnlyList<long>? Present, IReadOnlyList<long>? Absent) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Check((Present?.Count ?? 0) <= NewEventRequest.MaxCapacity, "present", "events.attendance.tooMany");
        rules.Check((Absent?.Count ?? 0) <= NewEventRequest.MaxCapacity, "absent", "events.attendance.tooMany");
        rules.Check(Present is null || Absent is null || !Present.Intersect(Absent).Any(), "absent", "events.attendance.both");
    }
}

/// <param name="MySignup">The caller's own sign-up, if any.</param>
/// <param name="CancelReason">Why the organiser cancelled it, once cancelled.</param>
public sealed record EventView(long Id, long UnitId, string UnitName, EventKind Kind, string Title, string? Description, string Place,
    decimal? Lat, decimal? Lng, int? RadiusMeters, DateTime StartsAt, DateTime EndsAt, DateTime SignupDeadline, int Capacity, int WaitlistCapacity,
    EventAudience Audience, EventStatus Status, int SignedUp, int Waiting, SignupView? MySignup, long? PlanItemId, string? CancelReason);

/// <param name="Name">The participant's name, masked; residents who are not members show as 居民.</param>
/// <param name="Minutes">Credited service time, once attendance is confirmed.</param>
public sealed record SignupView(long Id, long EventId, long? MemberId, string Name, SignupState State, DateTime QueuedAt,
    DateTime? CheckedInAt, CheckInMethod? CheckInMethod, DateTime? CheckedOutAt, Attendance? Attendance, int? Minutes);

/// <param name="Code">What the organiser's phone shows as a QR code; it stops being accepted after about <c>ValidSeconds</c>.</param>
/// <param name="RefreshAt">When to ask for the next code.</param>
public sealed record CheckInCode(long EventId, string Code, int ValidSeconds, DateTime RefreshAt);

/// <param name="Awarded">Members whose points entry was written by this confirmation.</param>
public sealed record AttendanceResult(long EventId, int Attended, int NoShows, int Awarded, IReadOnlyList<SignupView> Signups);

/// <summary>A member's service time (服务时长) in a China year, beside their points.</summary>
public sealed record ServiceHours(long MemberId, int Year, int Minutes, decimal Hours, int Events);
