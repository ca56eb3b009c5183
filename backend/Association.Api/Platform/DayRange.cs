using System.Globalization;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform;

/// <summary>China days from one to another, both included, as an export's period: at most a year, this quarter so far when not given.</summary>
public readonly record struct DayRange(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    public DateTime FromUtc => From.ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset;

    public DateTime UntilUtc => To.AddDays(1).ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset;

    /// <summary>For file names and the audit: 2026-01-01至2026-03-31.</summary>
    public override string ToString() =>
        From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "至" + To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryResolve(DateOnly? from, DateOnly? to, TimeProvider time, out DayRange range, out ValidationProblem? problem)
    {
        var last = to ?? time.Today();
        var first = from ?? Quarter.Of(last).FirstDay;
        range = new DayRange(first, last);
        problem = first.Year < Quarter.FirstYear || last.Year > Quarter.LastYear ? Problems.Invalid(from is null ? "to" : "from", "exports.period.outOfRange")
            : first > last ? Problems.Invalid("to", "exports.period.reversed")
            : last.DayNumber - first.DayNumber >= MaxDays ? Problems.Invalid("to", "exports.period.tooLong", MaxDays)
            : null;
        return problem is null;
    }
}
