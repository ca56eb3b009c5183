using Association.Api.Points;

namespace Association.Tests.Points;

public sealed class PointCapsTests
{
    [Fact]
    public void Apply_WhenNoCaps_AwardsInFull()
    {
        Assert.Equal((30, null), PointCaps.Apply(30, null, null, 1_000, 1_000_000));
    }

    [Theory]
    [InlineData(10, 0, 10)]
    [InlineData(10, 10, 10)]
    [InlineData(10, 15, 5)]
    [InlineData(10, 20, 0)]
    [InlineData(10, 25, 0)]
    public void Apply_WhenTheDailyCapOf20IsNear_AwardsWhatIsLeftOfIt(int requested, long today, int expected)
    {
        var (points, reason) = PointCaps.Apply(requested, dailyCap: 20, quarterlyCap: null, today, awardedThisQuarter: today);

        Assert.Equal(expected, points);
        Assert.Equal(expected < requested, reason?.Contains("每日上限", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Apply_WhenBothCapsBite_TheQuarterlyCapHasTheLastWord()
    {
        var (points, reason) = PointCaps.Apply(10, dailyCap: 20, quarterlyCap: 300, awardedToday: 15, awardedThisQuarter: 298);

        Assert.Equal(2, points);
        Assert.Contains("季度上限 300 分", reason);
    }

    [Fact]
    public void Apply_WhenTheQuarterIsOverItsCapAlready_AwardsNothingAndNeverTakesPointsAway()
    {
        Assert.Equal(0, PointCaps.Apply(10, null, 300, 0, 350).Points);
    }
}
