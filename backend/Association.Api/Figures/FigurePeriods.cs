using Association.Api.GridReports;
using Association.Api.Platform;

namespace Association.Api.Figures;

/// <summary>Months grouped into the periods of a chart, and a unit's rolled-up months merged into each.</summary>
public static class FigurePeriods
{
    public sealed record Span(string Label, DateOnly FirstMonth, DateOnly LastMonth);

    public static IReadOnlyList<Span> Of(DateOnly first, DateOnly last, FigurePeriod period)
    {
        var spans = new List<Span>();
        for (var month = first; month <= last; month = month.AddMonths(period == FigurePeriod.Month ? 1 : 3))
        {
            spans.Add(period == FigurePeriod.Month
                ? new Span(Months.Written(month), month, month)
                : new Span(Quarter.Of(month).ToString(), month, month.AddMonths(2)));
        }
        return spans;
    }

    public static PeriodFigures Sum(Span span, int households, IEnumerable<FigureRow> months, IEnumerable<ReportCountRow> counts,
        IEnumerable<ReportHoursRow> hours)
    {
        bool Inside(DateTime month) => DateOnly.FromDateTime(month) >= span.FirstMonth && DateOnly.FromDateTime(month) <= span.LastMonth;
        var total = new FigureRow();
        foreach (var month in months.Where(m => Inside(m.Month)).OrderBy(m => m.Month))
        {
            total.Add(month);
        }
        var inSpan = hours.Where(h => Inside(h.Month)).ToList();
        return new PeriodFigures(span.Label, span.FirstMonth, span.LastMonth.AddMonths(1).AddDays(-1),
            total.MembersJoined, total.MembersSuspended, total.MembersLeft, total.MembersAtEnd, total.ActiveMembers,
            households, PerMille(total.MembersAtEnd, households), total.PointsEarned,
            total.Patrols, total.PatrolsConfirmed, Math.Round(total.PatrolMinutes / 60m, 1),
            total.Reports, total.ReportsAccepted, total.ReportsResolved, total.ReportsResolvedOnTime, total.ReportsOverdue,
            Median(inSpan.Where(h => h.Measure == "Accept")), Median(inSpan.Where(h => h.Measure == "Resolve")),
            total.ResolvedAtGrid, total.ResolvedAtVillage, total.ResolvedAtSubDistrict, total.DisputesResolved, total.DisputesSettledLocally,
            total.PublicityPublished, total.InsuredAtEnd, PerMille(total.InsuredAtEnd, total.MembersAtEnd),
            total.MembersCovered == 0 ? null : Math.Round((decimal)total.DaysToCover / total.MembersCovered, 1),
            total.EventsHeld, total.Attendances,
            counts.Where(c => Inside(c.Month)).GroupBy(c => (c.Kind, c.Status))
                .Select(g => new ReportCount(Enum.Parse<ReportKind>(g.Key.Kind), Enum.Parse<ReportStatus>(g.Key.Status), g.Sum(c => c.Reports)))
                .OrderBy(c => c.Kind).ThenBy(c => c.Status).ToList());
    }

    public static int PerMille(int part, int whole) => whole == 0 ? 0 : (int)Math.Round(part * 1000m / whole, MidpointRounding.AwayFromZero);

    /// <summary>The lower median of the reports' whole hours, from their counts per hour.</summary>
    public static int? Median(IEnumerable<ReportHoursRow> counts)
    {
        var byHour = counts.GroupBy(c => c.Hours).Select(g => (Hours: g.Key, Reports: g.Sum(c => c.Reports))).OrderBy(c => c.Hours).ToList();
        var total = byHour.Sum(c => c.Reports);
        if (total == 0)
        {
            return null;
        }
        var seen = 0;
        foreach (var (hoursTaken, reports) in byHour)
        {
            seen += reports;
            if (seen * 2 >= total)
            {
                return hoursTaken;
            }
        }
        return byHour[^1].Hours;
    }
}
