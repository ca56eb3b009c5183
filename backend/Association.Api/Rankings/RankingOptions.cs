using System.ComponentModel.DataAnnotations;

namespace Association.Api.Rankings;

public sealed class RankingOptions
{
    public const string Section = "Rankings";

    /// <summary>Days after a quarter ends during which late approvals still count in it (DOMAIN.md, Time).</summary>
    [Range(0, 60)]
    public int GraceDays { get; set; } = 10;
}
