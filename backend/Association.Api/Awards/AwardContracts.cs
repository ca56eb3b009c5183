using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;
using Association.Api.Rankings;

namespace Association.Api.Awards;

[JsonConverter(typeof(EnumNames<AwardMode>))]
public enum AwardMode
{
    TopN,
    TopPercent,
}

/// <summary>Per <c>Scope</c> (Grid or Village): the best <c>Value</c> members (TopN) or <c>Value</c>% of them (TopPercent).</summary>
public sealed record AwardRuleRequest(RankingScope Scope, AwardMode Mode, int Value, int MinimumPoints) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Check(Scope is RankingScope.Grid or RankingScope.Village, "scope", "awards.rule.scope");
        if (rules.Defined<AwardMode>(Mode, "mode"))
        {
            rules.Range(Value, "value", 1, Mode == AwardMode.TopN ? 1000 : 100);
        }
        rules.Range(MinimumPoints, "minimumPoints", 0, 1_000_000);
    }
}

/// <summary>A criterion in force: per <c>Scope</c>, the best <c>Value</c> members (TopN) or percent of them, with at least <c>MinimumPoints</c>.</summary>
public sealed record AwardRule(int Year, RankingScope Scope, AwardMode Mode, int Value, int MinimumPoints);

public sealed record AwardCandidate(long MemberId, string? MemberNumber, string? RealName, RankingScope Scope, long ScopeId, string ScopeName,
    int Points, int Rank, bool Confirmed);

public sealed record ConfirmAwardsRequest(IReadOnlyList<long>? MemberIds) : IValidatedRequest
{
    public void Validate(RequestRules rules) =>
        rules.Check(MemberIds?.Distinct().Count() is >= 1 and <= 1000, "memberIds", "validation.list.count", 1, 1000);
}
