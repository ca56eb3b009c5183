using Association.Api.Organisation;
using Association.Api.Platform.Errors;

namespace Association.Api.Members;

public sealed record RecruitmentTargetRequest(int Target) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Range(Target, "target", 0, 1_000_000);
}

public sealed record CoverageTargetRequest(int TargetPercent) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Range(TargetPercent, "targetPercent", 1, 100);
}

/// <summary>Members who joined in the year against the unit's target (null when none is set).</summary>
public sealed record RecruitmentRow(long UnitId, OrgUnitKind Kind, string Code, string Name, int? Target, long Joined, decimal? ProgressPercent);

/// <summary>Active members against households; <c>CoveragePercent</c> is null for a unit without households.</summary>
public sealed record CoverageRow(long UnitId, OrgUnitKind Kind, string Code, string Name, long Households, long ActiveMembers,
    decimal? CoveragePercent, bool? MeetsTarget);

/// <summary>
/// Coverage of a unit and everything beneath it that the caller may see. <c>BelowTarget</c> lists the
/// villages and grids under the target, worst first.
/// </summary>
public sealed record CoverageReport(long UnitId, decimal TargetPercent, CoverageRow? Unit, IReadOnlyList<CoverageRow> Villages,
    IReadOnlyList<CoverageRow> Grids, IReadOnlyList<CoverageRow> BelowTarget);
