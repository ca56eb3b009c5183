
namespace Association.Api.Insurance;

/// <param name="PremiumPerPerson">In yuan, at most two decimals.</param>
public sealed record NewPolicyRequest(string? Insurer, string? PolicyNumber, long UnitId, DateOnly CoverageStart, DateOnly CoverageEnd,
    decimal PremiumPerPerson, IReadOnlyList<long>? MemberIds);

/// <param name="CoveredFrom">From when the added members are covered; the policy's start or today when left out.</param>
public sealed record EndorsementRequest(IReadOnlyList<long>? MemberIds, DateOnly? CoveredFrom);

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
