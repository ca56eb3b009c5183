using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

namespace Association.Api.Members;

/// <summary>The five roles (五大员) a member volunteers for.</summary>
[JsonConverter(typeof(EnumNames<VolunteerRole>))]
public enum VolunteerRole
{
    Patrol,
    Publicity,
    InformationGathering,
    HazardScreening,
    DisputeMediation,
}

[JsonConverter(typeof(EnumNames<ApplicationStatus>))]
public enum ApplicationStatus
{
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

[JsonConverter(typeof(EnumNames<MemberStatus>))]
public enum MemberStatus
{
    Active,
    Suspended,
    Left,
    Erased,
}

[JsonConverter(typeof(EnumNames<PersonalField>))]
public enum PersonalField
{
    IdNumber,
    Phone,
}

/// <summary>
/// An application to join. Give <c>Phone</c> as typed, or <c>PhoneCode</c> from WeChat's getPhoneNumber button.
/// <c>Consent</c> must be true for the current <c>PrivacyNoticeVersion</c>.
/// </summary>
public sealed record ApplyRequest(
    string? RealName,
    string? Phone,
    string? PhoneCode,
    string? IdNumber,
    long GridId,
    string? Address,
    IReadOnlyList<VolunteerRole>? VolunteerRoles,
    string? PrivacyNoticeVersion,
    bool Consent,
    bool NotifyOnDecision) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        var options = rules.Options<MembershipOptions>();
        rules.Text(RealName, "realName", 2, 50, "membership.realName.length");
        if (Members.IdNumber.Validate(IdNumber, rules.Today, out _, out var birthDate) is { } idProblem)
        {
            rules.Fail("idNumber", idProblem);
        }
        else
        {
            rules.Check(Members.IdNumber.AgeOn(birthDate, rules.Today) >= options.MinimumAge, "idNumber", "membership.idNumber.tooYoung", options.MinimumAge);
        }
        if (PhoneCode is { Length: > 0 })
        {
            rules.OptionalText(PhoneCode, "phoneCode", 128);
        }
        else if (PhoneNumber.Validate(Phone, out _) is { } phoneProblem)
        {
            rules.Fail("phone", phoneProblem);
        }
        rules.Range(GridId, "gridId", 1, long.MaxValue, "membership.grid.notFound");
        rules.Text(Address, "address", 2, 200, "membership.address.length");
        rules.Check(VolunteerRoles is { Count: > 0 and <= 5 } roles && roles.All(Enum.IsDefined), "volunteerRoles", "membership.volunteerRoles.required");
        rules.Check(Consent && PrivacyNoticeVersion == options.PrivacyNoticeVersion, "consent", "membership.consent.required", options.PrivacyNoticeVersion);
    }
}

/// <summary>An application as its applicant and its approvers see it; personal numbers are masked.</summary>
public sealed record ApplicationView(
    long Id,
    long UserId,
    long GridId,
    string GridName,
    string? RealName,
    string? PhoneMasked,
    string? IdNumberMasked,
    string? Address,
    IReadOnlyList<VolunteerRole> VolunteerRoles,
    ApplicationStatus Status,
    string? DecisionReason,
    DateTime CreatedAt,
    DateTime? DecidedAt,
    long? MemberId);

public sealed record ReasonRequest(string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Reason(Reason);
}

public sealed record MoveRequest(long GridId, string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(GridId, "gridId", 1, long.MaxValue, "membership.grid.notInScope");
        rules.Reason(Reason);
    }
}

public sealed record MemberView(
    long Id,
    string? MemberNumber,
    long GridId,
    string GridName,
    string? RealName,
    string? PhoneMasked,
    string? IdNumberMasked,
    MemberStatus Status,
    DateOnly JoinedOn,
    DateOnly? ArmbandIssuedOn,
    IReadOnlyList<VolunteerRole> VolunteerRoles);

public sealed record MemberPage(IReadOnlyList<MemberView> Items, int Page, int PageSize, long Total);

public sealed record RevealRequest(PersonalField Field, string? Purpose) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Defined<PersonalField>(Field, "field");
        rules.Text(Purpose, "purpose", 5, 200, "membership.reveal.purpose");
    }
}

/// <summary>The privacy notice in force: an application consents to exactly this <c>Version</c>.</summary>
public sealed record PrivacyNotice(string Version, string Text);

/// <summary>One step of a member's history; <c>Reason</c> is what the person who made the change wrote.</summary>
public sealed record MemberEvent(long Id, MemberEventKind Kind, long? FromGridId, string? FromGridName, long? ToGridId, string? ToGridName,
    string? Reason, long? ByUserId, DateTime At);

public sealed record RevealResponse(long MemberId, PersonalField Field, string Value);
