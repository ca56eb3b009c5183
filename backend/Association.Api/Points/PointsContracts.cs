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

/// <param name="SourceKind">
/// What earned the points: a record of the member's own verified work (with <c>SourceId</c>, awarded at most once), or
/// <c>Offline</c> with a <c>Note</c>, for work we hold no record of (admins only).
/// </param>
/// <param name="SourceId">The record's id; none for <c>Offline</c>.</param>
/// <param name="Units">Completed patrols, hours, reports...: the rule's points per unit times this; a record's own count.</param>
/// <param name="OccurredAt">When the work was done, on the record's day; it decides the quarter the points count in.</param>
/// <param name="Note">Required for <c>Offline</c>: what the work was and where it is written down.</param>
public sealed record AwardRequest(long MemberId, WorkKind WorkKind, AwardSourceKind? SourceKind, long? SourceId, int Units, DateTimeOffset OccurredAt,
    string? Note = null);

public sealed record AdjustmentRequest(long MemberId, int Points, string? Reason);

public sealed record ReversalRequest(string? Reason);

/// <summary>
/// One ledger entry. <c>RequestedPoints</c> differs from <c>Points</c> when a cap cut the award; <c>Reason</c> says which.
/// <c>Note</c> is the awarding admin's account of an <c>Offline</c> award.
/// </summary>
public sealed record PointEntry(long Id, long MemberId, EntryKind Kind, int Points, int? RequestedPoints, long? RuleId, int? RuleVersion,
    WorkKind? WorkKind, AwardSourceKind? SourceKind, long? SourceId, long? ReversesEntryId, string Quarter, string? Reason, string? Note,
    long? CausedBy, DateTime CreatedAt);

public sealed record PeriodPoints(string Period, int Points);

public sealed record PointTotals(long MemberId, int Balance, IReadOnlyList<PeriodPoints> Periods);

public sealed record PointStatement(PointTotals Totals, IReadOnlyList<PointEntry> Entries, int Page, int PageSize, long Total);
