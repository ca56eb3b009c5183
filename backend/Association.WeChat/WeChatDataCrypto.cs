using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Association.WeChat;

/// <summary>
/// WeChat's "open data" checks: AES-128-CBC decryption with the session key, and the rawData
/// signature. Every failure throws the same <see cref="WeChatDataRejectedException"/>, so a caller
/// (or an attacker probing with crafted input) cannot tell padding errors from key or appid errors.
/// </summary>
public static class WeChatDataCrypto
{
    private const int BlockSize = 16;

    /// <summary>Decrypts <paramref name="encryptedData"/> and returns its JSON once the watermark is ours and fresh.</summary>
    public static JsonElement Decrypt(string appId, string sessionKey, string encryptedData, string iv,
        DateTimeOffset now, TimeSpan maxAge)
    {
        try
        {
            var key = DecodeExactly(sessionKey, BlockSize);
            var vector = DecodeExactly(iv, BlockSize);
            var cipherText = Convert.FromBase64String(encryptedData);
            if (cipherText.Length == 0 || cipherText.Length % BlockSize != 0)
            {
                throw new WeChatDataRejectedException();
            }

            using var aes = Aes.Create();
            aes.Key = key;
            var padded = aes.DecryptCbc(cipherText, vector, PaddingMode.None);
            var plain = StripPkcs7(padded);

            using var document = JsonDocument.Parse(plain);
            var data = document.RootElement.Clone();
            CheckWatermark(data, appId, now, maxAge);
            return data;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or JsonException
                                       or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new WeChatDataRejectedException();
        }
    }

    /// <summary>Checks <c>signature == sha1(rawData + sessionKey)</c> in constant time.</summary>
    public static bool VerifySignature(string rawData, string sessionKey, string signature)
    {
        var expected = SHA1.HashData(Encoding.UTF8.GetBytes(rawData + sessionKey));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Checks the watermark WeChat puts inside decrypted data and phone answers.</summary>
    public static void CheckWatermark(JsonElement data, string appId, DateTimeOffset now, TimeSpan maxAge)
    {
        var watermark = data.GetProperty("watermark");
        var stampedBy = watermark.GetProperty("appid").GetString() ?? "";
        var stampedAt = DateTimeOffset.FromUnixTimeSeconds(watermark.GetProperty("timestamp").GetInt64());
        var sameApp = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stampedBy), Encoding.UTF8.GetBytes(appId));
        // A little allowance for clocks ahead of ours; anything older than maxAge is a replay.
        var fresh = stampedAt <= now.AddMinutes(5) && now - stampedAt <= maxAge;
        if (!sameApp || !fresh)
        {
            throw new WeChatDataRejectedException();
        }
    }

    private static byte[] DecodeExactly(string base64, int length)
    {
        var bytes = Convert.FromBase64String(base64);
        return bytes.Length == length ? bytes : throw new WeChatDataRejectedException();
    }

    /// <summary>Strict PKCS#7: 1..16 bytes, all equal to the count, checked without early exit.</summary>
    private static byte[] StripPkcs7(byte[] padded)
    {
        var count = padded[^1];
        var bad = (count == 0 ? 1 : 0) | (count > BlockSize ? 1 : 0);
        for (var i = 1; i <= BlockSize; i++)
        {
            var inPadding = i <= count ? 1 : 0;
            bad |= inPadding & (padded[^i] != count ? 1 : 0);
        }
        if (bad != 0)
        {
            throw new WeChatDataRejectedException();
        }
        return padded[..^count];
    }
}
