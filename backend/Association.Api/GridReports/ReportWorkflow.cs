using Association.Api.Points;

namespace Association.Api.GridReports;

/// <summary>
/// The explicit state machine: Held → Submitted | Rejected; Submitted → Accepted | Rejected;
/// Accepted → Assigned | Resolved; Assigned → Resolved; Resolved → Closed. Anything else is refused.
/// </summary>
public static class ReportWorkflow
{
    private static readonly Dictionary<ReportStatus, ReportStatus[]> Allowed = new()
    {
        [ReportStatus.Held] = [ReportStatus.Submitted, ReportStatus.Rejected],
        [ReportStatus.Submitted] = [ReportStatus.Accepted, ReportStatus.Rejected],
        [ReportStatus.Accepted] = [ReportStatus.Assigned, ReportStatus.Resolved],
        [ReportStatus.Assigned] = [ReportStatus.Resolved],
        [ReportStatus.Resolved] = [ReportStatus.Closed],
        [ReportStatus.Rejected] = [],
        [ReportStatus.Closed] = [],
    };

    public static bool CanMove(ReportStatus from, ReportStatus to) => Allowed[from].Contains(to);

    /// <summary>How long a report may take, from submission, by urgency.</summary>
    public static TimeSpan Deadline(Urgency urgency) => urgency switch
    {
        Urgency.Urgent => TimeSpan.FromHours(24),
        Urgency.High => TimeSpan.FromDays(3),
        Urgency.Normal => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(15),
    };

    /// <summary>What the reporting member earns when the report is accepted.</summary>
    public static WorkKind AcceptedWork(ReportKind kind) => kind == ReportKind.SafetyHazard ? WorkKind.HazardConfirmed : WorkKind.InformationCollected;
}
