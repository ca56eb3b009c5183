using System.Globalization;
using System.Text;

namespace Association.WeChat;

/// <summary>
/// WeChat refuses a whole subscribe message (errcode 47003) when one value breaks its field type's
/// rules. Free text (<c>thing</c>) is shortened with an ellipsis; anything else that is too long is
/// the caller's bug and is refused here, naming the key, before WeChat is asked.
/// </summary>
public static class SubscribeMessageValues
{
    private static readonly (string Prefix, int MaxLength, bool Shorten)[] Rules =
    [
        ("character_string", 32, false),
        ("thing", 20, true),
        ("number", 32, false),
        ("letter", 32, false),
        ("symbol", 5, false),
        ("time", 64, false),
        ("date", 64, false),
        ("amount", 32, false),
        ("phone_number", 17, false),
        ("car_number", 8, false),
        ("name", 10, true),
        ("phrase", 5, false),
    ];

    public static Dictionary<string, string> Prepare(IReadOnlyDictionary<string, string> data)
    {
        var prepared = new Dictionary<string, string>(data.Count);
        foreach (var (key, value) in data)
        {
            var rule = Rules.FirstOrDefault(r => key.StartsWith(r.Prefix, StringComparison.Ordinal)
                                                 && key.Length > r.Prefix.Length && char.IsAsciiDigit(key[r.Prefix.Length]));
            if (rule.Prefix is null)
            {
                throw new ArgumentException($"Subscribe message key '{key}' is not a WeChat template field (e.g. thing1, time2).", nameof(data));
            }
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"Subscribe message value '{key}' is empty.", nameof(data));
            }
            var length = new StringInfo(value).LengthInTextElements;
            if (length <= rule.MaxLength)
            {
                prepared[key] = value;
            }
            else if (rule.Shorten)
            {
                prepared[key] = Shorten(value, rule.MaxLength);
            }
            else
            {
                throw new ArgumentException($"Subscribe message value '{key}' has {length} characters; at most {rule.MaxLength} allowed.", nameof(data));
            }
        }
        return prepared;
    }

    private static string Shorten(string value, int maxLength)
    {
        var shortened = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(value);
        for (var i = 0; i < maxLength - 1 && elements.MoveNext(); i++)
        {
            shortened.Append(elements.GetTextElement());
        }
        return shortened.Append('…').ToString();
    }
}
