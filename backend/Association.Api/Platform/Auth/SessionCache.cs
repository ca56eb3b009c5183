using System.Collections.Concurrent;
using System.Diagnostics;
using Association.Api.Platform.Redis;
using Microsoft.Extensions.Caching.Memory;

namespace Association.Api.Platform.Auth;

/// <summary>A session as MariaDB confirmed it, and when that read started (a monotonic timestamp).</summary>
public sealed record CachedSession(long SessionId, long UserId, DateTime AccessExpiresAt, long ReadAt);

/// <summary>
/// Validated sessions kept in memory for a few seconds, so an authenticated read costs no MariaDB query.
/// Revocation stays immediate: whoever ends a user's sessions calls <see cref="ForgetAsync"/> after committing,
/// which voids every entry of that user read before that moment, here and (over Redis pub/sub) on every other
/// instance. If Redis is down, other instances stop trusting their copy within <see cref="Lifetime"/>.
/// </summary>
public sealed class SessionCache(InvalidationChannel invalidation, RedisKeys keys) : IHostedService, IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly MemoryCache _sessions = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly ConcurrentDictionary<long, long> _forgottenAt = new();

    public bool TryGet(string tokenHash, out CachedSession session)
    {
        if (_sessions.TryGetValue(tokenHash, out CachedSession? cached) && cached is not null
            && (!_forgottenAt.TryGetValue(cached.UserId, out var forgotten) || cached.ReadAt > forgotten))
        {
            session = cached;
            return true;
        }
        session = null!;
        return false;
    }

    /// <summary>Call with the timestamp taken before the query that found the session.</summary>
    public void Store(string tokenHash, CachedSession session)
    {
        if (_forgottenAt.TryGetValue(session.UserId, out var forgotten) && session.ReadAt <= forgotten)
        {
            return;
        }
        _sessions.Set(tokenHash, session, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
    }

    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>After a commit that revoked or rotated sessions of the user.</summary>
    public Task ForgetAsync(long userId)
    {
        ForgetLocally(userId);
        return invalidation.PublishAsync(keys.SessionsForgotten, userId);
    }

    private void ForgetLocally(long userId)
    {
        var now = Now();
        _forgottenAt[userId] = now;
        if (_forgottenAt.Count > 10_000)
        {
            // Entries read before now - Lifetime have expired anyway, so older marks protect nothing.
            var horizon = now - (long)(Lifetime.TotalSeconds * Stopwatch.Frequency);
            foreach (var (user, at) in _forgottenAt)
            {
                if (at < horizon)
                {
                    _forgottenAt.TryRemove(user, out _);
                }
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => invalidation.SubscribeAsync(keys.SessionsForgotten, ForgetLocally);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _sessions.Dispose();
}
