namespace Association.Api.Rankings;

/// <summary>A member's points in the quarter and where the member belongs, as read for ranking.</summary>
public readonly record struct RankCandidate(long MemberId, int Points, long GridId, long VillageId, long SubDistrictId);

/// <summary>A member's rank (shared on equal points) and position (ties by member id) in one scope.</summary>
public readonly record struct ScopePlace(long ScopeId, int Rank, int Position);

public readonly record struct MemberRank(long MemberId, int Points, ScopePlace Grid, ScopePlace Village, ScopePlace SubDistrict);

/// <summary>
/// Ranks every scope in one pass over members sorted by points descending, then member id: that order,
/// restricted to any one grid, village or sub-district, is the scope's own order, so one sort serves all
/// three where SQL window functions would sort once per scope and per kind of number.
/// </summary>
public sealed class RankAssigner
{
    private sealed class Counter
    {
        public int Position;
        public int Rank;
        public int LastPoints;
    }

    private readonly Dictionary<long, Counter> _grids = [];
    private readonly Dictionary<long, Counter> _villages = [];
    private readonly Dictionary<long, Counter> _subDistricts = [];
    private RankCandidate? _previous;

    public MemberRank Next(RankCandidate candidate)
    {
        if (_previous is { } last && (candidate.Points > last.Points || (candidate.Points == last.Points && candidate.MemberId <= last.MemberId)))
        {
            throw new InvalidOperationException($"Members must come by points descending, then member id; {candidate.MemberId} came after {last.MemberId}.");
        }
        _previous = candidate;
        return new MemberRank(candidate.MemberId, candidate.Points,
            Place(_grids, candidate.GridId, candidate.Points),
            Place(_villages, candidate.VillageId, candidate.Points),
            Place(_subDistricts, candidate.SubDistrictId, candidate.Points));
    }

    private static ScopePlace Place(Dictionary<long, Counter> counters, long scopeId, int points)
    {
        if (!counters.TryGetValue(scopeId, out var counter))
        {
            counter = new Counter();
            counters.Add(scopeId, counter);
        }
        counter.Position++;
        if (counter.Position == 1 || points != counter.LastPoints)
        {
            counter.Rank = counter.Position;
            counter.LastPoints = points;
        }
        return new ScopePlace(scopeId, counter.Rank, counter.Position);
    }
}
