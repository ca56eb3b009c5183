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
    private readonly ForgetMarks _forgotten = new(Lifetime);

    public bool TryGet(string tokenHash, out CachedSession session)
    {
        if (_sessions.TryGetValue(tokenHash, out CachedSession? cached) && cached is not null && !_forgotten.IsStale(cached.UserId, cached.ReadAt))
        {
            session = cached;
            return true;
        }
        session = null!;
        return false;
    }

    /// <summary>Call with <see cref="ForgetMarks.Now"/> taken before the query that found the session.</summary>
    public void Store(string tokenHash, CachedSession session)
    {
        if (_forgotten.IsStale(session.UserId, session.ReadAt))
        {
            return;
        }
        _sessions.Set(tokenHash, session, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
    }

    /// <summary>After a commit that revoked or rotated sessions of the user.</summary>
    public Task ForgetAsync(long userId)
    {
        ForgetLocally(userId);
        return invalidation.PublishAsync(keys.SessionsForgotten, userId);
    }

    private void ForgetLocally(long userId) => _forgotten.Mark(userId);

    public Task StartAsync(CancellationToken cancellationToken) => invalidation.SubscribeAsync(keys.SessionsForgotten, ForgetLocally);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _sessions.Dispose();
}
