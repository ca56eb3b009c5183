using System.Text;

namespace Association.Api.Platform.Xlsx;

/// <summary>Text as a sheet can hold it: no characters XML forbids (what a resident typed may hold any), within Excel's limits.</summary>
internal static class XlsxText
{
    /// <summary>Excel's limit on the characters of a cell.</summary>
    public const int MaxCellLength = 32_767;

    public static string Cell(string text)
    {
        var clean = Clean(text);
        if (clean.Length <= MaxCellLength)
        {
            return clean;
        }
        // A cut between the halves of a pair would leave a character XML cannot hold.
        return clean[..(char.IsHighSurrogate(clean[MaxCellLength - 1]) ? MaxCellLength - 1 : MaxCellLength)];
    }

    /// <summary>Excel refuses names over 31 characters, with []:*?/\ or empty.</summary>
    public static string SheetName(string name, int position)
    {
        var builder = new StringBuilder();
        foreach (var c in Clean(name))
        {
            builder.Append(c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? '_' : c);
        }
        var safe = builder.ToString().Trim().Trim('\'');
        if (safe.Length == 0)
        {
            return $"Sheet{position}";
        }
        return safe.Length <= 31 ? safe : safe[..31];
    }

    private static string Clean(string text)
    {
        if (!text.Any(c => !IsAllowed(c) || char.IsSurrogate(c)))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (IsAllowed(c) && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static bool IsAllowed(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && c is not ('\uFFFE' or '\uFFFF'));
}
