using System.ComponentModel.DataAnnotations;

namespace Association.Api.Patrols;

public sealed class PatrolOptions
{
    public const string Section = "Patrols";

    /// <summary>A patrol still running this long after it started is ended for its members (no real patrol lasts 8 h).</summary>
    [Range(9, 72)]
    public int EndUnfinishedAfterHours { get; set; } = 12;
}
