using System.ComponentModel.DataAnnotations;

namespace Association.Api.Insurance;

public sealed class InsuranceOptions
{
    public const string Section = "Insurance";

    /// <summary>"Promptly" of the source: days a newly approved member may wait for cover before it is a gap.</summary>
    [Range(1, 365)]
    public int CoverWithinDays { get; set; } = 15;

    /// <summary>Policies ending within this many days are reported.</summary>
    [Range(1, 365)]
    public int ExpiryWarningDays { get; set; } = 30;
}
