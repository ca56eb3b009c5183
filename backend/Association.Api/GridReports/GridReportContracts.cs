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

public sealed record ReportTransition(ReportStatus? From, ReportStatus To, long ByUserId, string? Note, DateTime At);

public sealed record GridReportView(long Id, long GridId, long ReporterUserId, ReportKind Kind, string Description, string? LocationText,
    decimal? Lat, decimal? Lng, IReadOnlyList<string> PhotoRefs, Urgency Urgency, ReportStatus Status, string ContentCheck,
    DateTime DeadlineAt, long? AssignedMemberId, DateTime CreatedAt, IReadOnlyList<ReportTransition>? History);
