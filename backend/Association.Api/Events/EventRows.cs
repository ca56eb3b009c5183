using Association.Api.Members;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Events;

/// <summary>The reads every part of the events feature shares: an event as the caller may see it, and its sign-ups.</summary>
internal static class EventRows
{
    /// <summary>
    /// The event's unit as <c>target</c>: the caller sees an event when they hold a role over its unit, when it is public,
    /// or when they are a member of a grid beneath its unit.
    /// </summary>
    internal const string CallerSees = "(e.audience = 'Public' OR " + Scope.Sees + " OR " + Scope.MemberBeneath + ")";

    private const string Columns = """
        SELECT e.id, e.unit_id, target.name AS unit_name, e.kind, e.title, e.description, e.place, e.lat, e.lng, e.radius_meters,
               e.starts_at, e.ends_at, e.signup_deadline, e.capacity, e.waitlist_capacity, e.audience, e.status, e.signed_up, e.waiting,
               e.plan_item_id, e.cancel_reason
          FROM events e JOIN org_units target ON target.id = e.unit_id
        """;

    private const string ById = Columns + " WHERE e.id = @id AND " + CallerSees;

    internal const string Page = Columns + """
         WHERE (@unitId IS NULL OR e.unit_id = @unitId) AND (@from IS NULL OR e.starts_at >= @from)
           AND (@status IS NULL OR e.status = @status) AND (@endedBy IS NULL OR e.ends_at < @endedBy) AND
        """ + " " + CallerSees + " ORDER BY e.starts_at DESC, e.id DESC LIMIT @limit OFFSET @offset";

    private const string SignupColumns = """
        SELECT s.id, s.event_id, s.member_id, m.real_name, s.state, s.queued_at, s.checked_in_at, s.check_in_method, s.checked_out_at,
               s.attendance, s.minutes
          FROM event_signups s LEFT JOIN members m ON m.id = s.member_id
        """;

    private const string Mine = SignupColumns + " WHERE s.event_id = @id AND s.user_id = @callerId";

    internal const string OfEvent = SignupColumns + " WHERE s.event_id = @id AND s.state <> 'Cancelled' ORDER BY s.state, s.queued_at, s.id";

    internal sealed class EventRow
    {
        public long Id { get; init; }
        public long UnitId { get; init; }
        public string UnitName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public string Place { get; init; } = "";
        public decimal? Lat { get; init; }
        public decimal? Lng { get; init; }
        public int? RadiusMeters { get; init; }
        public DateTime StartsAt { get; init; }
        public DateTime EndsAt { get; init; }
        public DateTime SignupDeadline { get; init; }
        public int Capacity { get; init; }
        public int WaitlistCapacity { get; init; }
        public string Audience { get; init; } = "";
        public string Status { get; init; } = "";
        public int SignedUp { get; init; }
        public int Waiting { get; init; }
        public long? PlanItemId { get; init; }
        public string? CancelReason { get; init; }

        public EventView ToView(SignupView? mine) => new(Id, UnitId, UnitName, Enum.Parse<EventKind>(Kind), Title, Description, Place, Lat, Lng,
            RadiusMeters, StartsAt, EndsAt, SignupDeadline, Capacity, WaitlistCapacity, Enum.Parse<EventAudience>(Audience),
            Enum.Parse<EventStatus>(Status), SignedUp, Waiting, mine, PlanItemId, CancelReason);
    }

    internal sealed class SignupRow
    {
        public long Id { get; init; }
        public long EventId { get; init; }
        public long? MemberId { get; init; }
        public string? RealName { get; init; }
        public string State { get; init; } = "";
        public DateTime QueuedAt { get; init; }
        public DateTime? CheckedInAt { get; init; }
        public string? CheckInMethod { get; init; }
        public DateTime? CheckedOutAt { get; init; }
        public string? Attendance { get; init; }
        public int? Minutes { get; init; }

        public SignupView ToView() => new(Id, EventId, MemberId, MemberId is null ? "居民" : MemberNames.Masked(RealName), Enum.Parse<SignupState>(State),
            QueuedAt, CheckedInAt, CheckInMethod is null ? null : Enum.Parse<CheckInMethod>(CheckInMethod), CheckedOutAt,
            Attendance is null ? null : Enum.Parse<Attendance>(Attendance), Minutes);
    }

    internal static async Task<EventView?> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long id, long callerId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(ById, new { id, callerId }, transaction, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var mine = await connection.QuerySingleOrDefaultAsync<SignupRow>(new CommandDefinition(Mine, new { id, callerId }, transaction, cancellationToken: ct));
        return row.ToView(mine?.ToView());
    }

    internal static async Task<SignupView> ReadMineAsync(MySqlConnection connection, MySqlTransaction? transaction, long id, long callerId, CancellationToken ct) =>
        (await connection.QuerySingleAsync<SignupRow>(new CommandDefinition(Mine, new { id, callerId }, transaction, cancellationToken: ct))).ToView();
}
