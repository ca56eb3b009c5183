using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Association.Api.Platform;

/// <summary>
/// A calendar quarter of the association's China-time calendar, written "2026Q4" in the API and the database.
/// The one place that knows how quarters are numbered, where they start and end, and which one an instant falls in.
/// </summary>
public readonly record struct Quarter : IComparable<Quarter>
{
    // Quarters outside these years are typing errors, not periods the association ever ranks.
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    private Quarter(int year, int number)
    {
        Year = year;
        Number = number;
    }

    public int Year { get; }

    /// <summary>1 to 4.</summary>
    public int Number { get; }

    public static Quarter Of(DateOnly chinaDay) => new(chinaDay.Year, (chinaDay.Month - 1) / 3 + 1);

    /// <summary>The quarter of the China day an instant falls on.</summary>
    public static Quarter Of(DateTimeOffset instant) => Of(instant.ChinaDay());

    /// <summary>The quarter of the China day a UTC <see cref="DateTime"/> falls on.</summary>
    public static Quarter OfUtc(DateTime utc) => Of(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    public static Quarter Current(TimeProvider time) => Of(time.Today());

    public static bool TryParse([NotNullWhen(true)] string? text, out Quarter quarter)
    {
        quarter = default;
        if (text is not { Length: 6 } || text[4] != 'Q' || text[5] is < '1' or > '4'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year is < FirstYear or > LastYear)
        {
            return false;
        }
        quarter = new Quarter(year, text[5] - '0');
        return true;
    }

    public static Quarter Parse(string text) =>
        TryParse(text, out var quarter) ? quarter : throw new FormatException($"'{text}' is not a quarter such as 2026Q4.");

    public DateOnly FirstDay => new(Year, (Number - 1) * 3 + 1, 1);

    public DateOnly LastDay => Next.FirstDay.AddDays(-1);

    /// <summary>The UTC instant the quarter begins: midnight of its first day in China.</summary>
    public DateTimeOffset StartsAt => new(FirstDay.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);

    public Quarter Previous => Number == 1 ? new(Year - 1, 4) : new(Year, Number - 1);

    public Quarter Next => Number == 4 ? new(Year + 1, 1) : new(Year, Number + 1);

    public bool Contains(DateOnly chinaDay) => Of(chinaDay) == this;

    public int CompareTo(Quarter other) => (Year, Number).CompareTo((other.Year, other.Number));

    public static bool operator <(Quarter left, Quarter right) => left.CompareTo(right) < 0;

    public static bool operator >(Quarter left, Quarter right) => left.CompareTo(right) > 0;

    public static bool operator <=(Quarter left, Quarter right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quarter left, Quarter right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year}Q{Number}");
}

/// <summary>Where a quarter's ranking stands: recomputed while provisional, closed to late entries, then final for good.</summary>
public enum QuarterStatus
{
    Provisional,

    /// <summary>The ranking job is finalising it: work of the quarter approved from now on counts in the quarter of approval.</summary>
    Closing,

    Final,
}
