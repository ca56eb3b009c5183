using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Rankings;

[JsonConverter(typeof(EnumNames<RankingScope>))]
public enum RankingScope
{
    Grid,
    Village,
    SubDistrict,
}

/// <summary>A member's place. Equal points share a rank (1, 2, 2, 4); inside a tie the lower member id comes first.</summary>
public sealed record RankingEntry(int Rank, int Position, long MemberId, string DisplayName, int Points);

public sealed record RankingView(string Quarter, string Status, RankingScope Scope, long ScopeId, DateTime ComputedAt, IReadOnlyList<RankingEntry> Entries);

public sealed record MyStanding(RankingScope Scope, long ScopeId, int Rank, int Points, long Ranked, IReadOnlyList<RankingEntry> Around);

public sealed record MyRanking(string Quarter, string Status, IReadOnlyList<MyStanding> Standings);

public sealed record RankHistoryEntry(string Quarter, string Status, RankingScope Scope, int Rank, int Points);

public sealed record LeaderboardView(string Quarter, RankingScope Scope, long ScopeId, string Source, IReadOnlyList<RankingEntry> Entries);

public sealed record LiveStanding(RankingScope Scope, long ScopeId, int Rank, int Points, IReadOnlyList<RankingEntry> Around);

public sealed record MyLiveStanding(string Quarter, string Source, IReadOnlyList<LiveStanding> Standings);

public sealed record UnitRankPart(UnitMeasure Measure, decimal Value, decimal Score, int Weight, int Rank);

/// <summary>A unit's place in its group: the composite's rank and score, and every part it is made of.</summary>
public sealed record UnitRankingEntry(long UnitId, string Name, int Rank, decimal Composite, IReadOnlyList<UnitRankPart> Parts);

public sealed record UnitRankingView(string Quarter, string Status, RankingScope Scope, long ScopeId, Organisation.OrgUnitKind Compare, DateTime ComputedAt,
    IReadOnlyList<UnitRankingEntry> Entries);

public sealed record UnitWeight(UnitMeasure Measure, int Weight);

/// <param name="IsDefault">True when the sub-district has set no weights for the year and the documented defaults apply.</param>
public sealed record UnitWeightsView(long SubDistrictId, int Year, bool IsDefault, IReadOnlyList<UnitWeight> Weights);

public sealed record UnitWeightsRequest(IReadOnlyList<UnitWeight>? Weights) : Platform.Errors.IValidatedRequest
{
    public void Validate(Platform.Errors.RequestRules rules)
    {
        var parts = UnitMeasures.Parts.ToHashSet();
        if (rules.Check(Weights is not null && Weights.Count == parts.Count && Weights.Select(w => w.Measure).ToHashSet().SetEquals(parts),
                "weights", "unitRankings.weights.parts", parts.Count))
        {
            rules.Check(Weights!.All(w => w.Weight is >= 0 and <= 100), "weights", "unitRankings.weights.range");
            rules.Check(Weights!.Sum(w => w.Weight) == 100, "weights", "unitRankings.weights.sum", Weights!.Sum(w => w.Weight));
        }
    }
}
