using System.Text.Json.Serialization;
using Association.Api.GridReports;
using Association.Api.Organisation;
using Association.Api.Platform;

namespace Association.Api.Figures;

[JsonConverter(typeof(EnumNames<FigurePeriod>))]
public enum FigurePeriod
{
    Month,
    Quarter,
}

public sealed record ReportCount(ReportKind Kind, ReportStatus Status, int Reports);

/// <summary>
/// One unit's figures for a month or a quarter. Flows (joined, patrols, points, ...) are the period's; stocks
/// (members, insured) are as at its last day; medians are in whole hours from the report to its acceptance or
/// resolution; coverage and insured are per mille of households and of members. Active members (with points entered
/// in the month) cannot be added across months, so a quarter shows its busiest month's.
/// </summary>
public sealed record PeriodFigures(
    string Period, DateOnly From, DateOnly To,
    int MembersJoined, int MembersSuspended, int MembersLeft, int MembersAtEnd, int ActiveMembers,
    int Households, int CoveragePermille, int PointsEarned,
    int Patrols, int PatrolsConfirmed, decimal PatrolHours,
    int Reports, int ReportsAccepted, int ReportsResolved, int ReportsResolvedOnTime, int ReportsOverdue,
    int? MedianHoursToAccept, int? MedianHoursToResolve,
    int ResolvedAtGrid, int ResolvedAtVillage, int ResolvedAtSubDistrict, int DisputesResolved, int DisputesSettledLocally,
    int PublicityPublished, int InsuredAtEnd, int InsuredPermille, decimal? AverageDaysToCover,
    int EventsHeld, int Attendances, IReadOnlyList<ReportCount> ReportsByKindAndState);

/// <summary>Members recruited in a year (its months in the figures) against the unit's target for it, when one is set.</summary>
public sealed record RecruitmentYear(int Year, int? Target, int Recruited);

public sealed record UnitFigures(long UnitId, string Name, OrgUnitKind Kind, bool Self, IReadOnlyList<PeriodFigures> Periods, IReadOnlyList<RecruitmentYear> Recruitment);

/// <param name="ComputedAt">When the oldest month shown was last rolled up (the figures job runs hourly); null if none was.</param>
public sealed record FiguresView(long UnitId, FigurePeriod Period, string From, string To, DateTime? ComputedAt, int CoverageTargetPermille,
    IReadOnlyList<UnitFigures> Units);
