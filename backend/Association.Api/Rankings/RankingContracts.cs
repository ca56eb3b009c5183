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
