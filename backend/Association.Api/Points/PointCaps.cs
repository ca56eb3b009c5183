namespace Association.Api.Points;

/// <summary>The daily and quarterly caps of a rule, applied to what a member has earned so far.</summary>
public static class PointCaps
{
    /// <summary>Cuts <paramref name="requested"/> to what the daily and quarterly caps leave; the reason says which cap bit.</summary>
    public static (int Points, string? Reason) Apply(int requested, int? dailyCap, int? quarterlyCap, long awardedToday, long awardedThisQuarter)
    {
        var points = (long)requested;
        string? reason = null;
        if (dailyCap is { } daily && awardedToday + points > daily)
        {
            points = Math.Max(0, daily - awardedToday);
            reason = $"已达每日上限 {daily} 分（申请 {requested} 分）";
        }
        if (quarterlyCap is { } quarterly && awardedThisQuarter + points > quarterly)
        {
            points = Math.Max(0, quarterly - awardedThisQuarter);
            reason = $"已达季度上限 {quarterly} 分（申请 {requested} 分）";
        }
        return ((int)points, reason);
    }
}
