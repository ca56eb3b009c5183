using Association.Api.Platform.Redis;

namespace Association.Api.Platform.Auth;

/// <summary>A session as MariaDB confirmed it, and when that read started (<see cref="ForgetMarks.Now"/>).</summary>
public sealed record CachedSession(long SessionId, long UserId, DateTime AccessExpiresAt, long ReadAt);

/// <summary>
/// Validated sessions kept in memory for a few seconds, so an authenticated read costs no MariaDB query.
/// Revocation stays immediate: whoever ends a user's sessions calls <see cref="ForgetAsync"/> after committing,
/// which voids every session of that user read before that moment, here and on every other instance.
/// </summary>
public sealed class SessionCache(InvalidationChannel invalidation, RedisKeys keys) : IHostedService, IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly InvalidatedCache<string, CachedSession> _sessions = new(invalidation, keys.SessionsForgotten, Lifetime, sizeLimit: 100_000);

    public bool TryGet(string tokenHash, out CachedSession session) => _sessions.TryGet(tokenHash, out session);

    public void Store(string tokenHash, CachedSession session) => _sessions.Store(tokenHash, session, session.UserId, session.ReadAt);

    /// <summary>After a commit that revoked or rotated sessions of the user.</summary>
    public Task ForgetAsync(long userId) => _sessions.ForgetAsync(userId);

    public Task StartAsync(CancellationToken cancellationToken) => _sessions.SubscribeAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _sessions.Dispose();
}
