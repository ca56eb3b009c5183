using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Points;

/// <summary>Kinds of work the points rules price (会员积分制).</summary>
[JsonConverter(typeof(EnumNames<WorkKind>))]
public enum WorkKind
{
    PatrolCompleted,
    PatrolHour,
    HazardConfirmed,
    DisputeResolved,
    InformationCollected,
    PublicityPublished,
    EventAttended,
    InsuranceEnrolled,
}

[JsonConverter(typeof(EnumNames<EntryKind>))]
public enum EntryKind
{
    Award,
    Adjustment,
    Reversal,
}

public sealed record PointRule(long Id, long SubDistrictId, WorkKind WorkKind, int Version, int PointsPerUnit,
    int? DailyCap, int? QuarterlyCap, DateOnly EffectiveFrom);

public sealed record NewRuleRequest(long SubDistrictId, WorkKind WorkKind, int PointsPerUnit, int? DailyCap, int? QuarterlyCap, DateOnly EffectiveFrom);

/// <param name="SourceKind">What earned the points, e.g. "Patrol"; with <c>SourceId</c> it is awarded at most once.</param>
/// <param name="Units">Completed patrols, hours, reports...: the rule's points per unit times this.</param>
/// <param name="OccurredAt">When the work was done; it decides the quarter the points count in.</param>
public sealed record AwardRequest(long MemberId, WorkKind WorkKind, string? SourceKind, long SourceId, int Units, DateTimeOffset OccurredAt);

public sealed record AdjustmentRequest(long MemberId, int Points, string? Reason);

public sealed record ReversalRequest(string? Reason);

/// <summary>One ledger entry. <c>RequestedPoints</c> differs from <c>Points</c> when a cap cut the award; <c>Reason</c> says which.</summary>
public sealed record PointEntry(long Id, long MemberId, EntryKind Kind, int Points, int? RequestedPoints, long? RuleId, int? RuleVersion,
    WorkKind? WorkKind, string? SourceKind, long? SourceId, long? ReversesEntryId, string Quarter, string? Reason, long? CausedBy, DateTime CreatedAt);

public sealed record PeriodPoints(string Period, int Points);

public sealed record PointTotals(long MemberId, int Balance, IReadOnlyList<PeriodPoints> Periods);

public sealed record PointStatement(PointTotals Totals, IReadOnlyList<PointEntry> Entries, int Page, int PageSize, long Total);
