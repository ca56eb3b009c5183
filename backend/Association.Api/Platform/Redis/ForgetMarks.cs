using System.Collections.Concurrent;
using System.Diagnostics;

namespace Association.Api.Platform.Redis;

/// <summary>
/// When each id was last invalidated, so an in-memory cache can refuse a value whose database read started
/// before the invalidation (a read racing the commit it missed). Marks older than the cache's lifetime protect
/// nothing and are pruned.
/// </summary>
public sealed class ForgetMarks(TimeSpan cacheLifetime)
{
    private readonly ConcurrentDictionary<long, long> _marks = new();

    /// <summary>A monotonic timestamp; take it before the read whose result may be cached.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    public bool IsStale(long id, long readAt) => _marks.TryGetValue(id, out var forgotten) && readAt <= forgotten;

    public void Mark(long id)
    {
        var now = Now();
        _marks[id] = now;
        if (_marks.Count > 10_000)
        {
            var horizon = now - (long)(cacheLifetime.TotalSeconds * Stopwatch.Frequency);
            foreach (var (key, at) in _marks)
            {
                if (at < horizon)
                {
                    _marks.TryRemove(key, out _);
                }
            }
        }
    }
}
