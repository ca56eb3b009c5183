using Association.Api.Rankings;

namespace Association.Tests.Rankings;

public sealed class RankAssignerTests
{
    [Fact]
    public void Next_WhenScopesInterleave_RanksEachScopeOnItsOwn()
    {
        var assigner = new RankAssigner();
        // Two grids (1, 2) in one village (10) and sub-district (100), in ranking order.
        var ranks = new[]
        {
            new RankCandidate(MemberId: 5, Points: 30, GridId: 1, VillageId: 10, SubDistrictId: 100),
            new RankCandidate(MemberId: 3, Points: 20, GridId: 2, VillageId: 10, SubDistrictId: 100),
            new RankCandidate(MemberId: 4, Points: 20, GridId: 1, VillageId: 10, SubDistrictId: 100),
            new RankCandidate(MemberId: 7, Points: 20, GridId: 1, VillageId: 10, SubDistrictId: 100),
            new RankCandidate(MemberId: 1, Points: 10, GridId: 2, VillageId: 10, SubDistrictId: 100),
            new RankCandidate(MemberId: 2, Points: 0, GridId: 1, VillageId: 10, SubDistrictId: 100),
        }.Select(assigner.Next).ToList();

        Assert.Equal([1, 2, 2, 2, 5, 6], ranks.Select(r => r.SubDistrict.Rank));
        Assert.Equal([1, 2, 3, 4, 5, 6], ranks.Select(r => r.SubDistrict.Position));
        var grid1 = ranks.Where(r => r.Grid.ScopeId == 1).ToList();
        Assert.Equal([1, 2, 2, 4], grid1.Select(r => r.Grid.Rank));
        Assert.Equal([1, 2, 3, 4], grid1.Select(r => r.Grid.Position));
        var grid2 = ranks.Where(r => r.Grid.ScopeId == 2).ToList();
        Assert.Equal([(1, 1), (2, 2)], grid2.Select(r => (r.Grid.Rank, r.Grid.Position)));
    }

    [Fact]
    public void Next_WhenTheFirstMemberHasNoPoints_RanksThemFirst()
    {
        var rank = new RankAssigner().Next(new RankCandidate(9, 0, 1, 10, 100));

        Assert.Equal((1, 1), (rank.Grid.Rank, rank.Grid.Position));
    }

    [Theory]
    [InlineData(30, 5)] // more points after fewer
    [InlineData(20, 3)] // a tie out of member order
    [InlineData(20, 4)] // the same member twice
    public void Next_WhenInputIsOutOfRankingOrder_Throws(int points, long memberId)
    {
        var assigner = new RankAssigner();
        assigner.Next(new RankCandidate(4, 20, 1, 10, 100));

        Assert.Throws<InvalidOperationException>(() => assigner.Next(new RankCandidate(memberId, points, 1, 10, 100)));
    }
}
