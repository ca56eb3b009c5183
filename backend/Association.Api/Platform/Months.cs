using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Association.Api.Platform;

/// <summary>China months as the API writes them (2026-03), held as their first day.</summary>
public static class Months
{
    public static bool TryParse([NotNullWhen(true)] string? text, out DateOnly month)
    {
        month = default;
        if (text is not { Length: 7 } || !DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month))
        {
            return false;
        }
        return month.Year is >= Quarter.FirstYear and <= Quarter.LastYear;
    }

    public static string Written(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static int Between(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month;
}
