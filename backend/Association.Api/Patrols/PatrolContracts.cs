using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

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

    /// <summary>Ended by the job after it ran too long, or by a leader: the member never finished it.</summary>
    NotFinishedByMember,
}

public sealed record Position(decimal Lat, decimal Lng);

/// <summary>Start a patrol in my grid; companions are other active members of the grid.</summary>
/// <param name="At">When it happened, if the phone logged it offline; now when left out. Never in the future.</param>
public sealed record StartPatrolRequest(decimal Lat, decimal Lng, IReadOnlyList<long>? Companions, DateTimeOffset? At) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        PatrolRules.Where(rules, Lat, Lng, At);
        rules.Check(Companions is null || Companions.Distinct().Count() <= PatrolsApi.MaxCompanions, "companions", "patrols.companions.tooMany", PatrolsApi.MaxCompanions);
    }
}

public sealed record CheckInRequest(decimal Lat, decimal Lng, string? PhotoRef, string? Note, DateTimeOffset? At) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        PatrolRules.Where(rules, Lat, Lng, At);
        rules.OptionalText(PhotoRef, "photoRef", 200);
        rules.OptionalText(Note, "note", 200);
    }
}

public sealed record FinishPatrolRequest(decimal Lat, decimal Lng, DateTimeOffset? At) : IValidatedRequest
{
    public void Validate(RequestRules rules) => PatrolRules.Where(rules, Lat, Lng, At);
}

public sealed record GridAreaRequest(decimal CentreLat, decimal CentreLng, int RadiusMeters) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Position(CentreLat, CentreLng, "centreLat", required: true);
        rules.Range(RadiusMeters, "radiusMeters", 10, 50_000);
    }
}

internal static class PatrolRules
{
    /// <summary>A real position (not the 0,0 of a phone without a fix) and, if logged offline, a moment of the last day.</summary>
    public static void Where(RequestRules rules, decimal lat, decimal lng, DateTimeOffset? at)
    {
        rules.Check(lat is >= -90 and <= 90 && lng is >= -180 and <= 180 && !(lat == 0 && lng == 0), "lat", "validation.position");
        rules.Recent(at, "at", TimeSpan.FromHours(24), "patrols.at.window");
    }
}

public sealed record TrackPoint(string Kind, long MemberId, DateTime At, decimal Lat, decimal Lng, string? PhotoRef, string? Note);

/// <summary>A patrol record. <c>Track</c> is null for callers who may see the record but not the GPS track.</summary>
public sealed record PatrolView(long Id, long GridId, long StartedBy, PatrolStatus Status, DateTime StartedAt, DateTime? FinishedAt,
    IReadOnlyList<long> MemberIds, IReadOnlyList<PatrolFlag> Flags, string? DecisionReason, IReadOnlyList<TrackPoint>? Track);
