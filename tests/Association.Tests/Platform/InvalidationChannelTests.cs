using System.Collections.Concurrent;
using Association.Api.Platform.Redis;
using Association.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Association.Tests.Platform;

public sealed class InvalidationChannelTests
{
    [Fact]
    public async Task PublishAsync_WhenSeveralIdsChangeAtOnce_TellsEveryListenerEachOfThem()
    {
        await using var publisherSide = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        await using var listenerSide = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var channel = "test:invalidation:" + Guid.NewGuid().ToString("N");
        var heard = new ConcurrentQueue<long>();
        var all = new TaskCompletionSource();
        await new InvalidationChannel(listenerSide, Breaker(listenerSide), NullLogger<InvalidationChannel>.Instance).SubscribeAsync(channel, id =>
        {
            heard.Enqueue(id);
            if (heard.Count == 4)
            {
                all.TrySetResult();
            }
        });
        var publisher = new InvalidationChannel(publisherSide, Breaker(publisherSide), NullLogger<InvalidationChannel>.Instance);

        await publisher.PublishAsync(channel, [11L, 12L, 13L]);
        await publisher.PublishAsync(channel, 14);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([11L, 12L, 13L, 14L], heard.Order());
    }

    private static Association.Api.Platform.Redis.RedisBreaker Breaker(StackExchange.Redis.IConnectionMultiplexer redis) =>
        new(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions { Configuration = TestServers.Redis }), TimeProvider.System,
            NullLogger<Association.Api.Platform.Redis.RedisBreaker>.Instance);
}
