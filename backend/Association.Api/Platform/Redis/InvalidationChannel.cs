using System.Globalization;
using StackExchange.Redis;

namespace Association.Api.Platform.Redis;

/// <summary>
/// Tells every instance that something it may cache in memory changed (an id on a Redis pub/sub channel).
/// Best effort by design: a cache that listens here must also expire on its own, for the time Redis is down.
/// </summary>
public sealed partial class InvalidationChannel(IConnectionMultiplexer redis, RedisBreaker breaker, ILogger<InvalidationChannel> logger)
{
    public Task PublishAsync(string channel, long id) => PublishAsync(channel, [id]);

    /// <summary>Several ids in one message (comma-separated), so a change that touches many costs one round trip.</summary>
    public async Task PublishAsync(string channel, IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var message = string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        // Sent without waiting for Redis's count of listeners, so a slow Redis delays no request; a failure to send
        // (disconnected, or skipped by the breaker) leaves the other instances to their caches' expiry.
        if (!(await breaker.TryAsync(_ => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message, CommandFlags.FireAndForget))).Answered)
        {
            LogNotShared(logger, channel, breaker.IsOpen ? "Redis is skipped until it answers" : "Redis failed");
        }
    }

    private static readonly TimeSpan SubscribeWait = TimeSpan.FromSeconds(1);

    public async Task SubscribeAsync(string channel, Action<long> changed)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, message) =>
            {
                foreach (var part in message.ToString().Split(','))
                {
                    if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    {
                        changed(id);
                    }
                }
            }).WaitAsync(SubscribeWait);
        }
        // A start waits at most SubscribeWait for a slow or hung Redis, and never fails for it: the handler is registered
        // at once, and the multiplexer completes (or renews, when it reconnects) the subscription on the server by itself.
        // A timeout is a TimeoutException, not a RedisException.
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotShared(logger, channel, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation on {Channel} not shared with other instances ({Reason}); their caches expire on their own")]
    private static partial void LogNotShared(ILogger logger, string channel, string reason);
}
