using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Association.Api.Events;

/// <summary>
/// The rotating check-in code: the event's id, a 30-second slot and an HMAC of both under the event's own secret. A code is
/// accepted in its slot and the next, so about 30 to 60 seconds: a screenshot passed around after that is refused, and a
/// code of one event never opens another, whose secret differs.
/// </summary>
public static class CheckInCodes
{
    public const int SlotSeconds = 30;

    public enum Verdict
    {
        Valid,
        Invalid,
        Expired,
        OtherEvent,
    }

    public static long SlotOf(DateTimeOffset now) => now.ToUnixTimeSeconds() / SlotSeconds;

    public static DateTimeOffset SlotEnd(long slot) => DateTimeOffset.FromUnixTimeSeconds((slot + 1) * SlotSeconds);

    public static string Issue(long eventId, byte[] secret, long slot) =>
        string.Create(CultureInfo.InvariantCulture, $"E{eventId}.{slot}.{Mac(eventId, slot, secret)}");

    /// <summary>The event a code claims to be of, to look up its secret; null when it is not a code at all.</summary>
    public static long? ClaimedEvent(string code)
    {
        var parts = code.Split('.');
        return parts.Length == 3 && parts[0].Length > 1 && parts[0][0] == 'E'
               && long.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }

    public static Verdict Check(string code, long eventId, byte[] secret, DateTimeOffset now)
    {
        var parts = code.Split('.');
        if (ClaimedEvent(code) is not { } claimed || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
        {
            return Verdict.Invalid;
        }
        if (claimed != eventId)
        {
            return Verdict.OtherEvent;
        }
        var expected = Encoding.ASCII.GetBytes(Mac(eventId, slot, secret));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return Verdict.Invalid;
        }
        var current = SlotOf(now);
        return slot == current || slot == current - 1 ? Verdict.Valid : Verdict.Expired;
    }

    private static string Mac(long eventId, long slot, byte[] secret)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{eventId}.{slot}")));
        return Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
