using System.Security.Cryptography;
using Association.Api.Platform.Crypto;
using Microsoft.Extensions.Options;

namespace Association.Tests.Platform;

public sealed class FieldCipherTests
{
    private static readonly string KeyOne = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyTwo = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static FieldCipher Cipher(string active, params (string Id, string Key)[] keys) => new(Options.Create(new FieldEncryptionOptions
    {
        ActiveKeyId = active,
        Keys = keys.ToDictionary(k => k.Id, k => k.Key),
        LookupKey = Lookup,
    }));

    [Fact]
    public void Decrypt_WhenKeyHasRotated_StillReadsOldValuesAndWritesWithTheNewKey()
    {
        var old = Cipher("k1", ("k1", KeyOne)).Encrypt("13800001234", "members.phone");
        var rotated = Cipher("k2", ("k1", KeyOne), ("k2", KeyTwo));

        var fresh = rotated.Encrypt("13800001234", "members.phone");

        Assert.Equal("13800001234", rotated.Decrypt(old, "members.phone"));
        Assert.Equal("k2", fresh.KeyId);
        Assert.Equal("13800001234", rotated.Decrypt(fresh, "members.phone"));
    }

    [Fact]
    public void Decrypt_WhenValueIsMovedToAnotherColumnOrTampered_Fails()
    {
        var cipher = Cipher("k1", ("k1", KeyOne));
        var value = cipher.Encrypt("430103198503121234", "members.id_number");
        var tampered = value with { Cipher = value.Cipher.ToArray() };
        tampered.Cipher[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(value, "members.phone"));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt(tampered, "members.id_number"));
    }

    [Fact]
    public void Lookup_WhenSameValue_IsStableAndKeyed()
    {
        var cipher = Cipher("k1", ("k1", KeyOne));

        Assert.Equal(cipher.Lookup("430103198503121234", "members.id_number"), cipher.Lookup("430103198503121234", "members.id_number"));
        Assert.NotEqual(SHA256.HashData("430103198503121234"u8.ToArray()), cipher.Lookup("430103198503121234", "members.id_number"));
    }
}
