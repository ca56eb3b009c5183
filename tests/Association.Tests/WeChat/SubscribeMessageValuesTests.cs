using Association.WeChat;

namespace Association.Tests.WeChat;

public sealed class SubscribeMessageValuesTests
{
    [Fact]
    public void Prepare_WhenThingIsTooLong_ShortensItToTwentyCharacters()
    {
        var prepared = SubscribeMessageValues.Prepare(new Dictionary<string, string> { ["thing1"] = new string('网', 30) });

        Assert.Equal(20, prepared["thing1"].Length);
        Assert.EndsWith("…", prepared["thing1"]);
    }

    [Fact]
    public void Prepare_WhenACutFallsInsideASurrogatePair_CutsBeforeTheWholeCharacter()
    {
        // 😀 and 𠀀 are one character each and two UTF-16 units; WeChat counts characters.
        var value = "巡防" + string.Concat(Enumerable.Repeat("😀𠀀", 15));

        var prepared = SubscribeMessageValues.Prepare(new Dictionary<string, string> { ["thing1"] = value })["thing1"];

        Assert.Equal(20, new System.Globalization.StringInfo(prepared).LengthInTextElements);
        Assert.EndsWith("…", prepared);
        Assert.StartsWith(prepared[..^1], value, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(prepared[^2]), "the cut left half a character");
        Assert.Equal(prepared, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(prepared)));
    }

    [Fact]
    public void Prepare_WhenValuesFit_LeavesThemAlone()
    {
        var data = new Dictionary<string, string> { ["thing1"] = "申请已通过", ["time2"] = "2026年11月29日 10:00", ["phrase3"] = "已通过" };

        Assert.Equal(data, SubscribeMessageValues.Prepare(data));
    }

    [Theory]
    [InlineData("character_string1", 33)]
    [InlineData("phrase2", 6)]
    [InlineData("number3", 33)]
    public void Prepare_WhenExactValueIsTooLong_ThrowsNamingTheKey(string key, int length)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SubscribeMessageValues.Prepare(new Dictionary<string, string> { [key] = new string('1', length) }));

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("thing")]
    public void Prepare_WhenKeyIsNotATemplateField_Throws(string key)
    {
        Assert.Throws<ArgumentException>(() => SubscribeMessageValues.Prepare(new Dictionary<string, string> { [key] = "x" }));
    }
}
