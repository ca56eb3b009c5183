using System.ComponentModel.DataAnnotations;

namespace Association.Api.Certificates;

public sealed class CertificateOptions
{
    public const string Section = "Certificates";

    /// <summary>
    /// The public address of the verification, the serial appended: what the QR code on every certificate opens, so a
    /// deployment sets it to its own https address once and for all (certificates already printed keep the old one).
    /// </summary>
    [Required, Url]
    public string VerifyBaseUrl { get; set; } = "http://127.0.0.1:5080/api/verify/";

    /// <summary>A font collection holding a Simplified Chinese face: Debian's fonts-noto-cjk, which scripts/servers.sh installs.</summary>
    [Required]
    public string FontPath { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    [Required]
    public string FontFamily { get; set; } = "Noto Sans CJK SC";
}
