using Association.Api.Platform;

namespace Association.Api.Figures;

/// <summary>
/// Hourly: rolls up the running China month and the two before it, where late work still lands (a patrol confirmed
/// days after it started, a report resolved next month, the quarter's grace). Older months stay as rolled up; the
/// <c>rollup-figures</c> command rebuilds any range.
/// </summary>
public sealed class FiguresRollupJob(FigureRollup rollup, TimeProvider time)
{
    public const int MonthsKeptFresh = 3;

    public async Task RunAsync(CancellationToken ct)
    {
        var month = FigureRollup.MonthOf(time.Today());
        for (var back = MonthsKeptFresh - 1; back >= 0; back--)
        {
            await rollup.RollUpAsync(month.AddMonths(-back), ct);
        }
    }
}
