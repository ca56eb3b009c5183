using System.Security.Cryptography;

namespace Association.Api.Certificates;

/// <summary>
/// Serials are 80 random bits in Crockford's base32 (16 characters without I, L, O or U), printed as four groups of
/// four. Reading one back forgives what people mistype from paper: case, dashes, spaces, O for 0 and I or L for 1.
/// </summary>
public static class CertificateSerials
{
    public const int Length = 16;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[Length];
        ulong high = (ulong)bytes[0] << 32 | (ulong)bytes[1] << 24 | (ulong)bytes[2] << 16 | (ulong)bytes[3] << 8 | bytes[4];
        ulong low = (ulong)bytes[5] << 32 | (ulong)bytes[6] << 24 | (ulong)bytes[7] << 16 | (ulong)bytes[8] << 8 | bytes[9];
        for (var i = 7; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(high & 31)];
            chars[i + 8] = Alphabet[(int)(low & 31)];
            high >>= 5;
            low >>= 5;
        }
        return new string(chars);
    }

    public static string Printed(string serial) => string.Join('-', serial.Chunk(4).Select(group => new string(group)));

    /// <summary>The stored form of what someone typed or scanned, or null when it cannot be a serial.</summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null || typed.Length > 40)
        {
            return null;
        }
        var chars = new List<char>(Length);
        foreach (var c in typed.ToUpperInvariant())
        {
            var mapped = c switch
            {
                '-' or ' ' => '\0',
                'O' => '0',
                'I' or 'L' => '1',
                _ => c,
            };
            if (mapped == '\0')
            {
                continue;
            }
            if (!Alphabet.Contains(mapped))
            {
                return null;
            }
            chars.Add(mapped);
        }
        return chars.Count == Length ? new string([.. chars]) : null;
    }
}
