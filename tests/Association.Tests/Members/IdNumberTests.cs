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
    [InlineData("110105194912310021", "membership.idNumber.checkDigit")]
    [InlineData("11010519491231002", "membership.idNumber.length")]
    [InlineData("1101051949123100211", "membership.idNumber.length")]
    [InlineData("110105194902300025", "membership.idNumber.birthDate")]
    [InlineData("110105203001010011", "membership.idNumber.birthDate")]
    [InlineData("11010519491231002Y", "membership.idNumber.format")]
    [InlineData("010105194912310021", "membership.idNumber.region")]
    [InlineData("440524188001010014", "membership.idNumber.birthDate")]
    public void Validate_WhenWrong_AnswersItsCode(string value, string code)
    {
        Assert.Equal(code, IdNumber.Validate(value, Today, out _, out _));
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
