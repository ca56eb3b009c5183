using System.Collections;
using System.Globalization;
using System.Resources;

namespace Association.Api.Platform.Errors;

/// <summary>The resource file read as a whole: every error code with its words, for the contract and its tests.</summary>
public static class MessageCatalog
{
    internal static readonly ResourceManager Resources = new(typeof(Messages).FullName!, typeof(Messages).Assembly);

    /// <summary>Keys that are not error codes: titles per status, field labels, enum labels, the words of notifications.</summary>
    private static readonly string[] NotCodes = ["title.", "field.", "enum.", "notice."];

    public static IReadOnlyDictionary<string, string> All(CultureInfo culture)
    {
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: culture.Equals(CultureInfo.InvariantCulture))
            ?? throw new InvalidOperationException($"No messages for {culture.Name}.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, string> Chinese => All(CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string> English => All(CultureInfo.GetCultureInfo("en"));

    public static IEnumerable<string> Codes => Chinese.Keys.Where(k => !NotCodes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).Order(StringComparer.Ordinal);
}
