using Association.Api.Platform;
using Microsoft.Extensions.Time.Testing;

namespace Association.Tests.Platform;

public sealed class QuarterTests
{
    [Theory]
    [InlineData("2026Q1", 2026, 1, "2026-01-01", "2026-03-31")]
    [InlineData("2026Q4", 2026, 4, "2026-10-01", "2026-12-31")]
    [InlineData("2028Q1", 2028, 1, "2028-01-01", "2028-03-31")]
    public void Parse_WhenWellFormed_KnowsItsYearAndDays(string text, int year, int number, string first, string last)
    {
        var quarter = Quarter.Parse(text);

        Assert.Equal((year, number), (quarter.Year, quarter.Number));
        Assert.Equal((DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture)),
            (quarter.FirstDay, quarter.LastDay));
        Assert.Equal(text, quarter.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026Q5")]
    [InlineData("2026Q0")]
    [InlineData("26Q1")]
    [InlineData("2026q1")]
    [InlineData("+026Q1")]
    [InlineData("1999Q4")]
    [InlineData("2101Q1")]
    [InlineData("２０２６Q1")]
    public void TryParse_WhenMalformedOrOutOfRange_Refuses(string? text)
    {
        Assert.False(Quarter.TryParse(text, out _));
    }

    [Fact]
    public void PreviousAndNext_WhenCrossingAYear_ChangeTheYear()
    {
        Assert.Equal(Quarter.Parse("2026Q4"), Quarter.Parse("2027Q1").Previous);
        Assert.Equal(Quarter.Parse("2027Q1"), Quarter.Parse("2026Q4").Next);
        Assert.True(Quarter.Parse("2026Q4") < Quarter.Parse("2027Q1"));
    }

    [Fact]
    public void StartsAt_IsMidnightOfTheFirstDayInChina()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero), Quarter.Parse("2027Q1").StartsAt);
    }

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", "2026Q4")]
    [InlineData("2026-12-31T16:00:00Z", "2027Q1")]
    [InlineData("2027-06-30T18:00:00Z", "2027Q3")]
    [InlineData("2028-02-29T12:00:00Z", "2028Q1")]
    public void Current_WhenTheClockIsNearAQuarterEndInUtc_FollowsChinaTime(string utc, string expected)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, Quarter.Current(clock).ToString());
        Assert.Equal(expected, Quarter.Of(clock.GetUtcNow()).ToString());
    }
}
