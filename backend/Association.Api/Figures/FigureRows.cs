namespace Association.Api.Figures;

/// <summary>One unit's rolled-up month, summed over its subtree; <see cref="Add"/> merges months into a period.</summary>
public sealed class FigureRow
{
    public long UnitId { get; set; }
    public DateTime Month { get; set; }
    public int MembersJoined { get; set; }
    public int MembersSuspended { get; set; }
    public int MembersLeft { get; set; }
    public int MembersAtEnd { get; set; }
    public int ActiveMembers { get; set; }
    public int PointsEarned { get; set; }
    public int Patrols { get; set; }
    public int PatrolsConfirmed { get; set; }
    public int PatrolMinutes { get; set; }
    public int Reports { get; set; }
    public int ReportsAccepted { get; set; }
    public int ReportsResolved { get; set; }
    public int ReportsResolvedOnTime { get; set; }
    public int ReportsOverdue { get; set; }
    public int ResolvedAtGrid { get; set; }
    public int ResolvedAtVillage { get; set; }
    public int ResolvedAtSubDistrict { get; set; }
    public int DisputesResolved { get; set; }
    public int DisputesSettledLocally { get; set; }
    public int PublicityPublished { get; set; }
    public int InsuredAtEnd { get; set; }
    public int MembersCovered { get; set; }
    public int DaysToCover { get; set; }
    public int EventsHeld { get; set; }
    public int Attendances { get; set; }

    /// <summary>The columns summed over a unit's subtree, in the order of this class.</summary>
    public const string SummedColumns = """
        SUM(f.members_joined) AS members_joined, SUM(f.members_suspended) AS members_suspended, SUM(f.members_left) AS members_left,
        SUM(f.members_at_end) AS members_at_end, SUM(f.active_members) AS active_members, SUM(f.points_earned) AS points_earned,
        SUM(f.patrols) AS patrols, SUM(f.patrols_confirmed) AS patrols_confirmed, SUM(f.patrol_minutes) AS patrol_minutes,
        SUM(f.reports) AS reports, SUM(f.reports_accepted) AS reports_accepted, SUM(f.reports_resolved) AS reports_resolved,
        SUM(f.reports_resolved_on_time) AS reports_resolved_on_time, SUM(f.reports_overdue) AS reports_overdue,
        SUM(f.resolved_at_grid) AS resolved_at_grid, SUM(f.resolved_at_village) AS resolved_at_village,
        SUM(f.resolved_at_sub_district) AS resolved_at_sub_district, SUM(f.disputes_resolved) AS disputes_resolved,
        SUM(f.disputes_settled_locally) AS disputes_settled_locally, SUM(f.publicity_published) AS publicity_published,
        SUM(f.insured_at_end) AS insured_at_end, SUM(f.members_covered) AS members_covered, SUM(f.days_to_cover) AS days_to_cover,
        SUM(f.events_held) AS events_held, SUM(f.attendances) AS attendances
        """;

    /// <summary>Adds a later month: flows add up, stocks become the later month's.</summary>
    public void Add(FigureRow later)
    {
        MembersJoined += later.MembersJoined;
        MembersSuspended += later.MembersSuspended;
        MembersLeft += later.MembersLeft;
        MembersAtEnd = later.MembersAtEnd;
        ActiveMembers = Math.Max(ActiveMembers, later.ActiveMembers);
        PointsEarned += later.PointsEarned;
        Patrols += later.Patrols;
        PatrolsConfirmed += later.PatrolsConfirmed;
        PatrolMinutes += later.PatrolMinutes;
        Reports += later.Reports;
        ReportsAccepted += later.ReportsAccepted;
        ReportsResolved += later.ReportsResolved;
        ReportsResolvedOnTime += later.ReportsResolvedOnTime;
        ReportsOverdue += later.ReportsOverdue;
        ResolvedAtGrid += later.ResolvedAtGrid;
        ResolvedAtVillage += later.ResolvedAtVillage;
        ResolvedAtSubDistrict += later.ResolvedAtSubDistrict;
        DisputesResolved += later.DisputesResolved;
        DisputesSettledLocally += later.DisputesSettledLocally;
        PublicityPublished += later.PublicityPublished;
        InsuredAtEnd = later.InsuredAtEnd;
        MembersCovered += later.MembersCovered;
        DaysToCover += later.DaysToCover;
        EventsHeld += later.EventsHeld;
        Attendances += later.Attendances;
    }
}

public sealed class ReportCountRow
{
    public long UnitId { get; init; }
    public DateTime Month { get; init; }
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public int Reports { get; init; }
}

public sealed class ReportHoursRow
{
    public long UnitId { get; init; }
    public DateTime Month { get; init; }
    public string Measure { get; init; } = "";
    public int Hours { get; init; }
    public int Reports { get; init; }
}
