using System.Collections.Concurrent;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Auth;

/// <summary>
/// Sign-ins per WeChat user per minute, counted in Redis so every instance shares the count (keyed by a pseudonym of the
/// openid, never the openid). While Redis cannot answer (<see cref="RedisBreaker"/>) each instance counts on its own, so
/// the limit still holds per instance: signing in never waits for Redis, and never goes unlimited.
/// </summary>
public sealed class LoginThrottle(RedisBreaker redis, RedisKeys keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Fixed one-minute windows by pseudonym, for the time Redis is away; old windows are dropped as new ones open.
    private readonly ConcurrentDictionary<string, (long Window, int Count)> _local = new();

    /// <summary>Null when allowed; otherwise how long to wait.</summary>
    public async Task<TimeSpan?> TryEnterAsync(string openId)
    {
        var key = keys.LoginAttempts(openId);
        var (answered, shared) = await redis.TryAsync(async db =>
        {
            var count = await db.StringIncrementAsync(key);
            if (count == 1)
            {
                await db.KeyExpireAsync(key, Window);
            }
            return count <= options.Value.LoginsPerOpenIdPerMinute ? (TimeSpan?)null : (await db.KeyTimeToLiveAsync(key) ?? Window);
        });
        return answered ? shared : EnterLocally(key.ToString());
    }

    private TimeSpan? EnterLocally(string key)
    {
        var now = time.GetUtcNow();
        var window = now.UtcTicks / Window.Ticks;
        var (_, count) = _local.AddOrUpdate(key, (window, 1), (_, seen) => seen.Window == window ? (window, seen.Count + 1) : (window, 1));
        if (_local.Count > 100_000)
        {
            foreach (var old in _local.Where(e => e.Value.Window < window).Select(e => e.Key).ToList())
            {
                _local.TryRemove(old, out _);
            }
        }
        return count <= options.Value.LoginsPerOpenIdPerMinute ? null : new DateTimeOffset((window + 1) * Window.Ticks, TimeSpan.Zero) - now;
    }
}
