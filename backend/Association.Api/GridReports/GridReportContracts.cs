using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.GridReports;

[JsonConverter(typeof(EnumNames<ReportKind>))]
public enum ReportKind
{
    SafetyHazard,
    Dispute,
    InformationCollected,
    Unsafe,
    Uncivil,
    Unhealthy,
    Inconvenient,
}

[JsonConverter(typeof(EnumNames<Urgency>))]
public enum Urgency
{
    Low,
    Normal,
    High,
    Urgent,
}

[JsonConverter(typeof(EnumNames<ReportStatus>))]
public enum ReportStatus
{
    Held,
    Submitted,
    Accepted,
    Rejected,
    Assigned,
    Resolved,
    Closed,
}

public sealed record NewReportRequest(long GridId, ReportKind Kind, string? Description, string? LocationText, decimal? Lat, decimal? Lng,
    IReadOnlyList<string>? PhotoRefs, Urgency Urgency);

public sealed record TransitionRequest(string? Note);

public sealed record AssignRequest(long MemberId, string? Note);

public sealed record ReportTransition(ReportStatus? From, ReportStatus To, long ByUserId, string? Note, DateTime At);

public sealed record GridReportView(long Id, long GridId, long ReporterUserId, ReportKind Kind, string Description, string? LocationText,
    decimal? Lat, decimal? Lng, IReadOnlyList<string> PhotoRefs, Urgency Urgency, ReportStatus Status, string ContentCheck,
    DateTime DeadlineAt, long? AssignedMemberId, DateTime CreatedAt, IReadOnlyList<ReportTransition>? History);
