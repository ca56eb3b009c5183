namespace Association.Api.Patrols;

/// <summary>The checks that flag a finished patrol. Pure functions, so they are tested without a database.</summary>
public static class PatrolPlausibility
{
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromHours(8);

    /// <summary>Faster than a bicycle between two points of one track is not a patrol on foot or by bike.</summary>
    public const double MaximumKilometresPerHour = 30;

    public sealed record Area(decimal CentreLat, decimal CentreLng, int RadiusMeters);

    public sealed record Point(DateTime At, decimal Lat, decimal Lng);

    public static IReadOnlyList<PatrolFlag> Check(IReadOnlyList<Point> track, Area? area)
    {
        var flags = new List<PatrolFlag>();
        var ordered = track.OrderBy(p => p.At).ToList();
        var duration = ordered[^1].At - ordered[0].At;
        if (area is not null && (Outside(ordered[0], area) || Outside(ordered[^1], area)))
        {
            flags.Add(PatrolFlag.OutsideArea);
        }
        if (duration < MinimumDuration)
        {
            flags.Add(PatrolFlag.TooShort);
        }
        if (duration > MaximumDuration)
        {
            flags.Add(PatrolFlag.TooLong);
        }
        for (var i = 1; i < ordered.Count; i++)
        {
            var hours = (ordered[i].At - ordered[i - 1].At).TotalHours;
            var kilometres = Metres(ordered[i - 1].Lat, ordered[i - 1].Lng, ordered[i].Lat, ordered[i].Lng) / 1000;
            // Points seconds apart carry GPS jitter; judge speed only over a meaningful distance.
            if (kilometres > 0.2 && (hours <= 0 || kilometres / hours > MaximumKilometresPerHour))
            {
                flags.Add(PatrolFlag.ImpossibleSpeed);
                break;
            }
        }
        return flags;
    }

    private static bool Outside(Point point, Area area) => Metres(point.Lat, point.Lng, area.CentreLat, area.CentreLng) > area.RadiusMeters;

    /// <summary>Great-circle distance (haversine), plenty accurate at grid scale.</summary>
    public static double Metres(decimal lat1, decimal lng1, decimal lat2, decimal lng2)
    {
        const double earthRadius = 6_371_000;
        double Rad(decimal degrees) => (double)degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLng = Rad(lng2 - lng1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * earthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
