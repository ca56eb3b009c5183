using System.Security.Cryptography;
using System.Text;
using Association.WeChat;

namespace Association.Tests.WeChat;

/// <summary>WeChat's own published sample (open-data decryption docs): appId, session key, data and iv as published.</summary>
public sealed class WeChatDataCryptoTests
{
    private const string AppId = "wx4f4bc4dec97d474b";
    private const string SessionKey = "tiihtNczf5v6AKRyjwEUhQ==";
    private const string Iv = "r7BXXKkLb8qrSNn05n0qiA==";
    private const string EncryptedData =
        "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142d" +
        "NCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn" +
        "/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns" +
        "/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuy" +
        "Db/XcxxmK01EpqOyuxINew==";

    // The sample's watermark says 2016-10-24; "now" is pinned just after it.
    private static readonly DateTimeOffset SampleTime = DateTimeOffset.FromUnixTimeSeconds(1477314187).AddMinutes(1);
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    [Fact]
    public void Decrypt_WhenOfficialSample_ReturnsItsUser()
    {
        var data = WeChatDataCrypto.Decrypt(AppId, SessionKey, EncryptedData, Iv, SampleTime, MaxAge);

        Assert.Equal("oGZUI0egBJY1zhBYw2KhdUfwVJJE", data.GetProperty("openId").GetString());
        Assert.Equal("Band", data.GetProperty("nickName").GetString());
        Assert.Equal(AppId, data.GetProperty("watermark").GetProperty("appid").GetString());
    }

    public static TheoryData<string, string, string, string, long> Tampered => new()
    {
        { "wrong appid", "wx0000000000000000", SessionKey, EncryptedData, 0 },
        { "watermark too old", AppId, SessionKey, EncryptedData, 3600 },
        { "wrong session key", AppId, "AAAAAAAAAAAAAAAAAAAAAA==", EncryptedData, 0 },
        { "short session key", AppId, "AAAA", EncryptedData, 0 },
        { "not base64", AppId, SessionKey, "%%%not-base64%%%", 0 },
        { "truncated block", AppId, SessionKey, EncryptedData[..^8], 0 },
        { "last block altered", AppId, SessionKey, EncryptedData[..^24] + "AAAAAAAAAAAAAAAAAAAAAA==", 0 },
        { "empty", AppId, SessionKey, "", 0 },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void Decrypt_WhenAnyCheckFails_ThrowsTheSameIndistinguishableError(string why, string appId, string key, string data, long secondsLater)
    {
        var error = Assert.Throws<WeChatDataRejectedException>(() =>
            WeChatDataCrypto.Decrypt(appId, key, data, Iv, SampleTime.AddSeconds(secondsLater), MaxAge));

        Assert.Equal("The WeChat data could not be verified.", error.Message);
        Assert.Null(error.InnerException);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Fact]
    public void Decrypt_WhenPaddingIsNotStrictPkcs7_IsRejected()
    {
        // A valid-looking final byte (0x02) with a wrong byte before it: lenient decoders accept this.
        var key = Convert.FromBase64String(SessionKey);
        var iv = Convert.FromBase64String(Iv);
        var plain = Encoding.UTF8.GetBytes("{\"watermark\":{\"appid\":\"wx4f4bc4dec97d474b\",\"timestamp\":1477314187}}");
        var blocks = new byte[(plain.Length / 16 + 1) * 16];
        plain.CopyTo(blocks, 0);
        blocks[^1] = 2;
        blocks[^2] = 7;
        using var aes = Aes.Create();
        aes.Key = key;
        var cipher = Convert.ToBase64String(aes.EncryptCbc(blocks, iv, PaddingMode.None));

        Assert.Throws<WeChatDataRejectedException>(() => WeChatDataCrypto.Decrypt(AppId, SessionKey, cipher, Iv, SampleTime, MaxAge));
    }

    [Fact]
    public void VerifySignature_WhenSha1OfRawDataAndSessionKeyMatches_IsTrue()
    {
        const string rawData = """{"nickName":"Band","gender":1,"language":"zh_CN"}""";
        var signature = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(rawData + SessionKey)));

        Assert.True(WeChatDataCrypto.VerifySignature(rawData, SessionKey, signature));
        Assert.False(WeChatDataCrypto.VerifySignature(rawData + " ", SessionKey, signature));
        Assert.False(WeChatDataCrypto.VerifySignature(rawData, SessionKey, signature[..^2] + "00"));
        Assert.False(WeChatDataCrypto.VerifySignature(rawData, SessionKey, "not-hex"));
    }
}
