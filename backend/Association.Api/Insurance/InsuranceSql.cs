namespace Association.Api.Insurance;

/// <summary>SQL fragments every insurance query shares: what "covered on a day" means.</summary>
internal static class InsuranceSql
{
    /// <summary>Member <c>m</c> is covered on <c>@day</c> by some policy.</summary>
    public const string CoveredOn = "(" + """
        EXISTS (SELECT 1 FROM insurance_coverages cov JOIN insurance_policies pol ON pol.id = cov.policy_id
                 WHERE cov.member_id = m.id AND cov.covered_from <= @day AND pol.coverage_start <= @day AND pol.coverage_end >= @day)
        """ + ")";
}
