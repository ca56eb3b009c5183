using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

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

    /// <summary>Points spent on a reward (积分兑换): moves the balance only, never a quarter's earned points.</summary>
    Redemption,

    /// <summary>A cancelled redemption's points given back: the balance only, like the redemption it corrects.</summary>
    Refund,
}

public sealed record PointRule(long Id, long SubDistrictId, WorkKind WorkKind, int Version, int PointsPerUnit,
    int? DailyCap, int? QuarterlyCap, DateOnly EffectiveFrom);

public sealed record NewRuleRequest(long SubDistrictId, WorkKind WorkKind, int PointsPerUnit, int? DailyCap, int? QuarterlyCap, DateOnly EffectiveFrom)
    : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(SubDistrictId, "subDistrictId", 1, long.MaxValue, "org.subDistrict.notFound");
        rules.Defined<WorkKind>(WorkKind, "workKind");
        rules.Range(PointsPerUnit, "pointsPerUnit", 0, 10_000);
        if (DailyCap is not null)
        {
            rules.Range(DailyCap, "dailyCap", 0, 1_000_000);
        }
        // Every kind is capped, one-off kinds too: a quarter's points from one kind of work are always bounded.
        rules.Range(QuarterlyCap, "quarterlyCap", 0, 1_000_000, "points.rules.quarterlyCap");
        rules.Check(EffectiveFrom >= rules.Today, "effectiveFrom", "points.rules.effectiveFrom");
    }
}

/// <param name="SourceKind">
/// What earned the points: a record of the member's own verified work (with <c>SourceId</c>, awarded at most once), or
/// <c>Offline</c> with a <c>Note</c>, for work we hold no record of (admins only).
/// </param>
/// <param name="SourceId">The record's id; none for <c>Offline</c>.</param>
/// <param name="Units">Completed patrols, hours, reports...: the rule's points per unit times this; a record's own count.</param>
/// <param name="OccurredAt">When the work was done, on the record's day; it decides the quarter the points count in.</param>
/// <param name="Note">Required for <c>Offline</c>: what the work was and where it is written down.</param>
public sealed record AwardRequest(long MemberId, WorkKind WorkKind, AwardSourceKind? SourceKind, long? SourceId, int Units, DateTimeOffset OccurredAt,
    string? Note = null) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(MemberId, "memberId", 1, long.MaxValue, "membership.member.notFound");
        rules.Defined<WorkKind>(WorkKind, "workKind");
        rules.Range(Units, "units", 1, PointsApi.MaxUnits);
        if (rules.Defined(SourceKind, "sourceKind") && SourceKind == AwardSourceKind.Offline)
        {
            rules.Check(SourceId is null or 0, "sourceId", "points.award.offlineHasNoSource");
            rules.Reason(Note, "note", "points.award.offlineNote");
        }
        else if (SourceKind is not null)
        {
            rules.Check(SourceId is >= 1, "sourceId", "points.award.sourceRequired");
            rules.Check(Note is null, "note", "points.award.noteOnlyOffline");
        }
        rules.Check(OccurredAt <= rules.Now.AddMinutes(5) && OccurredAt >= rules.Now.AddYears(-1), "occurredAt", "points.award.occurredAt");
    }
}

public sealed record AdjustmentRequest(long MemberId, int Points, string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(MemberId, "memberId", 1, long.MaxValue, "membership.member.notFound");
        rules.Check(Points != 0 && Math.Abs((long)Points) <= PointsApi.MaxAdjustment, "points", "points.adjustment.range", PointsApi.MaxAdjustment);
        rules.Reason(Reason);
    }
}

public sealed record ReversalRequest(string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Reason(Reason);
}

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
