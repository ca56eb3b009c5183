using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Rankings;

/// <summary>What grids and villages are compared on each quarter (standard 5(9) 考评), and the composite of them.</summary>
[JsonConverter(typeof(EnumNames<UnitMeasure>))]
public enum UnitMeasure
{
    PointsPerMember,
    Coverage,
    PatrolHoursPerMember,
    ConfirmedPatrolShare,
    ReportsOnTimeShare,
    DisputesSettledLocallyShare,
    PublicityPublished,
    InsuranceCover,
    Composite,
}

/// <summary>
/// The composite: each measure scores 100 for the best unit of its group and proportionally less for the others; the
/// composite is the weighted sum of the scores, weights in percent adding up to 100. Until a sub-district sets its own
/// for a year, these apply: the work members do (points, patrols) and the coverage the campaign asks for weigh most.
/// </summary>
public static class UnitMeasures
{
    public static readonly IReadOnlyDictionary<UnitMeasure, int> DefaultWeights = new Dictionary<UnitMeasure, int>
    {
        [UnitMeasure.PointsPerMember] = 20,
        [UnitMeasure.Coverage] = 20,
        [UnitMeasure.PatrolHoursPerMember] = 15,
        [UnitMeasure.ConfirmedPatrolShare] = 10,
        [UnitMeasure.ReportsOnTimeShare] = 10,
        [UnitMeasure.DisputesSettledLocallyShare] = 10,
        [UnitMeasure.PublicityPublished] = 5,
        [UnitMeasure.InsuranceCover] = 10,
    };

    public static IEnumerable<UnitMeasure> Parts => DefaultWeights.Keys;
}
