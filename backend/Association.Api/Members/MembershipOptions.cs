using System.ComponentModel.DataAnnotations;

namespace Association.Api.Members;

public sealed class MembershipOptions
{
    public const string Section = "Membership";

    /// <summary>The privacy notice applicants consent to; an application naming another version is refused.</summary>
    [Required]
    public string PrivacyNoticeVersion { get; set; } = "2026-11";

    /// <summary>The notice's text for <see cref="PrivacyNoticeVersion"/>; a deployment that changes one changes both.</summary>
    [Required]
    public string PrivacyNoticeText { get; set; } = DefaultPrivacyNotice.Value;

    private static readonly Lazy<string> DefaultPrivacyNotice = new(() =>
    {
        using var stream = typeof(MembershipOptions).Assembly.GetManifestResourceStream("Association.Api.Members.PrivacyNotice.md")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    [Range(16, 100)]
    public int MinimumAge { get; set; } = 18;
}
