using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

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

/// <summary>Where a report is handled: its grid, or, once raised, its village or the sub-district.</summary>
[JsonConverter(typeof(EnumNames<ReportLevel>))]
public enum ReportLevel
{
    Grid,
    Village,
    SubDistrict,
}

public sealed record NewReportRequest(long GridId, ReportKind Kind, string? Description, string? LocationText, decimal? Lat, decimal? Lng,
    IReadOnlyList<string>? PhotoRefs, Urgency Urgency) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(GridId, "gridId", 1, long.MaxValue, "gridReports.grid.notFound");
        rules.Defined<ReportKind>(Kind, "kind");
        rules.Defined<Urgency>(Urgency, "urgency");
        rules.Text(Description, "description", 5, 1000, "gridReports.description.length");
        rules.OptionalText(LocationText, "locationText", 200);
        rules.Check((Lat is null) == (Lng is null), "lat", "validation.position");
        rules.Position(Lat, Lng);
        rules.Check(PhotoRefs is null || (PhotoRefs.Count <= GridReportsApi.MaxPhotos && PhotoRefs.All(p => p is { Length: >= 1 and <= 40 } && !p.Contains(','))),
            "photoRefs", "gridReports.photoRefs.invalid", GridReportsApi.MaxPhotos);
    }
}

/// <param name="Note">Why a report is rejected, or how it was resolved: the reporter reads it.</param>
public sealed record TransitionRequest(string? Note) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Reason(Note, "note", "gridReports.note.required");
}

public sealed record AssignRequest(long MemberId, string? Note) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(MemberId, "memberId", 1, long.MaxValue, "gridReports.assign.notGridMember");
        rules.OptionalText(Note, "note", 200);
    }
}

/// <param name="Reason">Why the report needs the level above; the reminder job gives its own when the report is overdue.</param>
public sealed record EscalateRequest(string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Reason(Reason, "reason", "gridReports.escalate.reasonRequired");
}

/// <param name="ByUserId">Who raised it; null when the reminder job raised an overdue report.</param>
public sealed record ReportEscalationView(ReportLevel From, ReportLevel To, string Reason, long? ByUserId, DateTime At);

public sealed record ReportTransition(ReportStatus? From, ReportStatus To, long ByUserId, string? Note, DateTime At);

public sealed record GridReportView(long Id, long GridId, long ReporterUserId, ReportKind Kind, string Description, string? LocationText,
    decimal? Lat, decimal? Lng, IReadOnlyList<string> PhotoRefs, Urgency Urgency, ReportStatus Status, string ContentCheck,
    DateTime DeadlineAt, long? AssignedMemberId, DateTime CreatedAt, ReportLevel Level, ReportLevel? ResolvedLevel,
    IReadOnlyList<ReportTransition>? History, IReadOnlyList<ReportEscalationView>? Escalations);
