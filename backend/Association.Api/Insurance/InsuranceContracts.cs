using Association.Api.Platform.Errors;

namespace Association.Api.Insurance;

/// <param name="PremiumPerPerson">In yuan, at most two decimals.</param>
public sealed record NewPolicyRequest(string? Insurer, string? PolicyNumber, long UnitId, DateOnly CoverageStart, DateOnly CoverageEnd,
    decimal PremiumPerPerson, IReadOnlyList<long>? MemberIds) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Text(Insurer, "insurer", 2, 100);
        rules.Check(PolicyNumber is not null && InsuranceApi.PolicyNumberPattern().IsMatch(PolicyNumber.Trim()), "policyNumber", "insurance.policyNumber.format");
        rules.Range(UnitId, "unitId", 1, long.MaxValue, "org.unit.notFound");
        rules.Check(CoverageEnd >= CoverageStart, "coverageEnd", "insurance.coverageEnd.beforeStart");
        rules.Check(CoverageEnd <= CoverageStart.AddYears(5), "coverageEnd", "insurance.coverageEnd.tooLong");
        rules.Check(PremiumPerPerson is >= 0 and <= 100_000 && decimal.Round(PremiumPerPerson, 2) == PremiumPerPerson, "premiumPerPerson", "insurance.premium.range");
        rules.Check(MemberIds is not { Count: > InsuranceApi.MaxMembersPerRequest }, "memberIds", "insurance.members.tooMany", InsuranceApi.MaxMembersPerRequest);
    }
}

/// <param name="CoveredFrom">From when the added members are covered; the policy's start or today when left out.</param>
public sealed record EndorsementRequest(IReadOnlyList<long>? MemberIds, DateOnly? CoveredFrom) : IValidatedRequest
{
    public void Validate(RequestRules rules) =>
        rules.Check(MemberIds?.Distinct().Count() is >= 1 and <= InsuranceApi.MaxMembersPerRequest, "memberIds", "validation.list.count", 1, InsuranceApi.MaxMembersPerRequest);
}

public sealed record ConsentRequest(bool Consent);

public sealed record PolicyView(long Id, string Insurer, string PolicyNumber, long UnitId, DateOnly CoverageStart, DateOnly CoverageEnd,
    decimal PremiumPerPerson, long MembersCovered, IReadOnlyList<long>? OverlappingMemberIds);

public sealed record MemberCoverage(long MemberId, bool CoveredToday, long? PolicyId, string? Insurer, string? PolicyNumber, DateOnly? CoveredUntil);

public sealed record UncoveredMember(long MemberId, string? MemberNumber, string? RealName, long GridId, DateOnly JoinedOn, int DaysWaited, bool Overdue);

public sealed record CoverageGaps(IReadOnlyList<UncoveredMember> UncoveredActive, IReadOnlyList<UncoveredMember> OverdueNewMembers,
    IReadOnlyList<PolicyView> ExpiringPolicies);

public sealed record InsuranceFigure(long UnitId, string Kind, string Code, string Name, long ActiveMembers, long Covered, decimal? CoveragePercent);

public sealed record InsuranceFigures(IReadOnlyList<InsuranceFigure> Units, decimal? AverageDaysToCover);

public sealed record AdminNotice(long Id, long UnitId, string Kind, long SubjectId, DateOnly NoticeDay, string Message);
