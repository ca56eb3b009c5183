using Association.Api.Platform.Errors;

namespace Association.Api.Certificates;

/// <summary>
/// A certificate for a China year, or for the days <c>From</c> to <c>Until</c> (inclusive). A period reaching past today
/// ends today. <c>MemberId</c> left out: the caller's own membership; given: a member the caller holds a role over.
/// </summary>
public sealed record NewCertificateRequest(long? MemberId, int? Year, DateOnly? From, DateOnly? Until) : IValidatedRequest
{
    public const int MaxYears = 10;

    public void Validate(RequestRules rules)
    {
        if (MemberId is not null)
        {
            rules.Range(MemberId, "memberId", 1, long.MaxValue, "membership.member.notFound");
        }
        if (Year is not null)
        {
            rules.Check(From is null && Until is null, "year", "certificates.period.yearOrDays");
            rules.Range(Year, "year", 2000, rules.Today.Year, "certificates.period.year");
            return;
        }
        if (!rules.Check(From is not null, "from", "certificates.period.required") | !rules.Check(Until is not null, "until", "certificates.period.required"))
        {
            return;
        }
        rules.Check(From!.Value.Year >= 2000 && From.Value <= rules.Today, "from", "certificates.period.from");
        rules.Check(Until >= From, "until", "certificates.period.reversed");
        rules.Check(Until!.Value <= From.Value.AddYears(MaxYears), "until", "certificates.period.tooLong", MaxYears);
    }
}

public sealed record RevokeCertificateRequest(string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Reason(Reason);
}

/// <summary>The figures a certificate attests, as they stood when it was issued.</summary>
/// <param name="Minutes">Service time at events attended in the period (check-in to check-out, within the event's hours).</param>
/// <param name="Patrols">Confirmed patrols the member took part in.</param>
/// <param name="PointsEarned">Points earned for work in the period (awards, adjustments and reversals; redemptions are spending, not earning).</param>
/// <param name="Awards">Yearly awards (评先评优) confirmed for the member in the period's years.</param>
public sealed record CertificateFigures(int Minutes, decimal Hours, int EventsAttended, int Patrols, int PointsEarned, IReadOnlyList<string> Awards);

/// <param name="Serial">Printed on the certificate as four groups of four; unguessable, so knowing it is what a verifier needs.</param>
/// <param name="HolderName">The member's name, in full only for the member themself.</param>
/// <param name="VerifyUrl">What the QR code on the certificate opens: the public verification.</param>
public sealed record CertificateView(long Id, string Serial, long MemberId, string? MemberNumber, string HolderName, string GridName,
    DateOnly PeriodFrom, DateOnly PeriodUntil, CertificateFigures Figures, DateTime IssuedAt, DateTime? RevokedAt, string? RevokeReason,
    string VerifyUrl, string PdfUrl);

/// <summary>What anyone holding the serial learns: whether our record exists, whom (masked) and what it attests, and whether it was revoked.</summary>
public sealed record CertificateVerification(string Serial, string HolderName, string? MemberNumber, string GridName, string AssociationName,
    DateOnly PeriodFrom, DateOnly PeriodUntil, CertificateFigures Figures, DateTime IssuedAt, bool Revoked, DateTime? RevokedAt);
