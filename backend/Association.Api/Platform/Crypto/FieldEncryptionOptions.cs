using System.ComponentModel.DataAnnotations;

namespace Association.Api.Platform.Crypto;

/// <summary>
/// Keys for personal and secret fields at rest. <c>Keys</c> maps a key id to a base64 256-bit key;
/// new values use <c>ActiveKeyId</c>, old values keep naming the key they were written with.
/// </summary>
public sealed class FieldEncryptionOptions
{
    public const string Section = "FieldEncryption";

    [Required]
    public string ActiveKeyId { get; set; } = "";

    [Required, MinLength(1)]
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>
    /// Base64 256-bit key of the HMAC that finds duplicates (one membership per ID number) without
    /// decrypting. It cannot rotate like the others: changing it orphans every stored lookup value.
    /// </summary>
    [Required]
    public string LookupKey { get; set; } = "";
}
