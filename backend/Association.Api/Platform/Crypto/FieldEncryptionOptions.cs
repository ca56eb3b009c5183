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
}
