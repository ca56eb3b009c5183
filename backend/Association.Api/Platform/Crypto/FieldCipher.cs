using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Association.Api.Platform.Crypto;

public sealed record EncryptedField(byte[] Cipher, string KeyId);

/// <summary>
/// AES-256-GCM for single fields. The stored bytes are nonce | tag | ciphertext; the context string
/// (e.g. "users.session_key") is authenticated, so a value copied into another column fails to decrypt.
/// </summary>
public sealed class FieldCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;
    private readonly byte[] _lookupKey;

    public FieldCipher(IOptions<FieldEncryptionOptions> options)
    {
        _keys = options.Value.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value));
        _activeKeyId = options.Value.ActiveKeyId;
        _lookupKey = Convert.FromBase64String(options.Value.LookupKey);
    }

    public static bool AreValid(FieldEncryptionOptions options)
    {
        try
        {
            return options.Keys.ContainsKey(options.ActiveKeyId)
                   && options.Keys.Values.All(k => Convert.FromBase64String(k).Length == 32)
                   && Convert.FromBase64String(options.LookupKey).Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public EncryptedField Encrypt(string plain, string context)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plain);
        var output = new byte[NonceSize + TagSize + plainBytes.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        aes.Encrypt(nonce, plainBytes, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return new EncryptedField(output, _activeKeyId);
    }

    /// <summary>A keyed HMAC-SHA256 for equality lookups: without the key, a dump gives no way to test guesses.</summary>
    public byte[] Lookup(string value, string context) =>
        HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(context + "\n" + value));

    public string Decrypt(EncryptedField field, string context)
    {
        if (!_keys.TryGetValue(field.KeyId, out var key))
        {
            throw new CryptographicException($"Field encryption key '{field.KeyId}' is not configured.");
        }
        var data = field.Cipher.AsSpan();
        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data[..NonceSize], data[(NonceSize + TagSize)..], data.Slice(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(plain);
    }
}
