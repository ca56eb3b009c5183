using Association.Api.Members;

namespace Association.Tests.Members;

public sealed class IdNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData("440524196501010010")]
    public void Validate_WhenCheckDigitIsRight_Accepts(string value)
    {
        Assert.Null(IdNumber.Validate(value, Today, out var normalised, out _));
        Assert.Equal(value.ToUpperInvariant(), normalised);
    }

    [Theory]
    [InlineData("110105194912310021", "check digit")]
    [InlineData("11010519491231002", "18")]
    [InlineData("1101051949123100211", "18")]
    [InlineData("110105194902300025", "birth date")]
    [InlineData("110105203001010011", "birth date")]
    [InlineData("11010519491231002Y", "17 digits")]
    [InlineData("010105194912310021", "region")]
    [InlineData("440524188001010014", "birth date")]
    public void Validate_WhenWrong_SaysWhy(string value, string why)
    {
        Assert.Contains(why, IdNumber.Validate(value, Today, out _, out _));
    }

    [Fact]
    public void AgeOn_WhenBirthdayNotYetReached_CountsOneYearLess()
    {
        Assert.Equal(17, IdNumber.AgeOn(new DateOnly(2008, 11, 30), Today));
        Assert.Equal(18, IdNumber.AgeOn(new DateOnly(2008, 11, 29), Today));
    }

    [Fact]
    public void Mask_WhenShown_KeepsRegionPrefixAndLastFour()
    {
        Assert.Equal("430***********1234", IdNumber.Mask("430103198503121234"));
        Assert.Equal("138****1234", PhoneNumber.Mask("13800001234"));
    }

    [Theory]
    [InlineData("1380000123")]
    [InlineData("23800001234")]
    [InlineData("12800001234")]
    [InlineData("1380000123a")]
    public void ValidatePhone_WhenNotAMobileNumber_SaysWhy(string value)
    {
        Assert.NotNull(PhoneNumber.Validate(value, out _));
    }
}
