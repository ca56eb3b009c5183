using System.Text.Json.Serialization;
using Association.Api.Platform;

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
    bool NotifyOnDecision);

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

public sealed record ReasonRequest(string? Reason);

public sealed record MoveRequest(long GridId, string? Reason);

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

public sealed record RevealRequest(PersonalField Field, string? Purpose);

public sealed record RevealResponse(long MemberId, PersonalField Field, string Value);
