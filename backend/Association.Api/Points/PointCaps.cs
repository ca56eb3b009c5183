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
            reason = $"Capped by the daily cap of {daily} points (requested {requested}).";
        }
        if (quarterlyCap is { } quarterly && awardedThisQuarter + points > quarterly)
        {
            points = Math.Max(0, quarterly - awardedThisQuarter);
            reason = $"Capped by the quarterly cap of {quarterly} points (requested {requested}).";
        }
        return ((int)points, reason);
    }
}
