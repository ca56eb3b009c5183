using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Patrols;

[JsonConverter(typeof(EnumNames<PatrolStatus>))]
public enum PatrolStatus
{
    InProgress,
    Finished,
    Confirmed,
    Rejected,
}

/// <summary>Plausibility checks a finished patrol failed; a flagged patrol is not refused, it is shown to the leader.</summary>
[JsonConverter(typeof(EnumNames<PatrolFlag>))]
public enum PatrolFlag
{
    OutsideArea,
    TooShort,
    TooLong,
    ImpossibleSpeed,
}

public sealed record Position(decimal Lat, decimal Lng);

/// <summary>Start a patrol in my grid; companions are other active members of the grid.</summary>
/// <param name="At">When it happened, if the phone logged it offline; now when left out. Never in the future.</param>
public sealed record StartPatrolRequest(decimal Lat, decimal Lng, IReadOnlyList<long>? Companions, DateTimeOffset? At);

public sealed record CheckInRequest(decimal Lat, decimal Lng, string? PhotoRef, string? Note, DateTimeOffset? At);

public sealed record FinishPatrolRequest(decimal Lat, decimal Lng, DateTimeOffset? At);

public sealed record GridAreaRequest(decimal CentreLat, decimal CentreLng, int RadiusMeters);

public sealed record TrackPoint(string Kind, long MemberId, DateTime At, decimal Lat, decimal Lng, string? PhotoRef, string? Note);

/// <summary>A patrol record. <c>Track</c> is null for callers who may see the record but not the GPS track.</summary>
public sealed record PatrolView(long Id, long GridId, long StartedBy, PatrolStatus Status, DateTime StartedAt, DateTime? FinishedAt,
    IReadOnlyList<long> MemberIds, IReadOnlyList<PatrolFlag> Flags, string? DecisionReason, IReadOnlyList<TrackPoint>? Track);
