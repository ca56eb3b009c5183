using Association.Api.Platform.Http;

namespace Association.Api.Platform.Errors;

/// <summary>
/// A rule on a route or query value, declared on the handler's parameter and run by <see cref="ValidationFilter"/>
/// with the body's rules, so a handler never checks the shape of what it is given.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public abstract class ParameterRuleAttribute : Attribute
{
    public abstract void Check(object? value, string name, RequestRules rules);
}

/// <summary>A calendar year the association could have records of.</summary>
public sealed class YearAttribute : ParameterRuleAttribute
{
    public override void Check(object? value, string name, RequestRules rules) =>
        rules.Check(value is int year && year is >= 2000 and <= 2100, name, "validation.year");
}

/// <summary>A page number from 1; far pages are refused, a narrower search is cheaper for everyone.</summary>
public sealed class PageAttribute : ParameterRuleAttribute
{
    public override void Check(object? value, string name, RequestRules rules) =>
        rules.Check(value is int page && page is >= 1 and <= 100_000, name, "http.paging.page");
}

public sealed class PageSizeAttribute : ParameterRuleAttribute
{
    public override void Check(object? value, string name, RequestRules rules) =>
        rules.Check(value is int size && size is >= 1 and <= Paging.MaxPageSize, name, "http.paging.pageSize", Paging.MaxPageSize);
}

/// <summary>A quarter like 2026Q4, when given.</summary>
public sealed class QuarterAttribute : ParameterRuleAttribute
{
    public override void Check(object? value, string name, RequestRules rules) =>
        rules.Check(value is null || (value is string text && Platform.Quarter.TryParse(text, out _)), name, "rankings.quarter.format");
}

/// <summary>A China month like 2026-03, when given.</summary>
public sealed class MonthAttribute : ParameterRuleAttribute
{
    public override void Check(object? value, string name, RequestRules rules) =>
        rules.Check(value is null || (value is string text && Months.TryParse(text, out _)), name, "validation.month");
}

public sealed class InRangeAttribute(long min, long max) : ParameterRuleAttribute
{
    public override void Check(object? value, string name, RequestRules rules) =>
        rules.Check(value is IConvertible number && Convert.ToInt64(number, System.Globalization.CultureInfo.InvariantCulture) is var n && n >= min && n <= max,
            name, "validation.number.range", min, max);
}
