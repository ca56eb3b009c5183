using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Rankings;

namespace Association.Api.Awards;

[JsonConverter(typeof(EnumNames<AwardMode>))]
public enum AwardMode
{
    TopN,
    TopPercent,
}

/// <summary>Per <c>Scope</c> (Grid or Village): the best <c>Value</c> members (TopN) or <c>Value</c>% of them (TopPercent).</summary>
public sealed record AwardRuleRequest(RankingScope Scope, AwardMode Mode, int Value, int MinimumPoints);

public sealed record AwardCandidate(long MemberId, string? MemberNumber, string? RealName, RankingScope Scope, long ScopeId, string ScopeName,
    int Points, int Rank, bool Confirmed);

public sealed record ConfirmAwardsRequest(IReadOnlyList<long>? MemberIds);
