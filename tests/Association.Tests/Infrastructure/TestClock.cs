using Association.Api.Platform;

namespace Association.Tests.Infrastructure;

/// <summary>
/// The application's clock in tests: it runs like the system clock from wherever a test puts it, so timers,
/// time-outs and back-offs behave as in production, while a test can still travel to the day it needs. Every
/// date a test writes is relative to <see cref="Now"/> (or <see cref="Today"/>), so the suite passes on any date.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public DateTimeOffset Now => GetUtcNow();

    /// <summary>Today in China, the association's calendar.</summary>
    public DateOnly Today => ChinaTime.Today(this);

    public Quarter CurrentQuarter => Quarter.Current(this);

    /// <summary>A China-time instant on <paramref name="day"/> at <paramref name="hour"/> o'clock.</summary>
    public static DateTimeOffset ChinaTimeOn(DateOnly day, int hour = 10) =>
        new(day.ToDateTime(new TimeOnly(hour, 0)), ChinaTime.Offset);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Moves the clock to <paramref name="moment"/> (it runs on from there) until the answer is disposed.</summary>
    public IDisposable TravelTo(DateTimeOffset moment)
    {
        var before = Interlocked.Read(ref _offsetTicks);
        Interlocked.Exchange(ref _offsetTicks, (moment - System.GetUtcNow()).Ticks);
        return new Return(this, before);
    }

    private sealed class Return(TestClock clock, long offsetTicks) : IDisposable
    {
        public void Dispose() => Interlocked.Exchange(ref clock._offsetTicks, offsetTicks);
    }
}
