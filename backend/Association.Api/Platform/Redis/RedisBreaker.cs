using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Platform.Redis;

/// <summary>
/// The guard on every Redis call a request waits for (every one has a MariaDB or in-process fallback). A call that
/// fails or takes longer than <see cref="CallTimeout"/> opens the breaker: for <see cref="OpenFor"/> calls skip Redis at
/// once, while a probe pings it in the background and closes the breaker as soon as it answers. So a Redis that is down
/// costs a request nothing, and one that hangs with its connections open (where every command would wait out the
/// multiplexer's 5 s timeout) costs the request that finds out at most the call timeout
/// (<see cref="RedisOptions.CallTimeoutMilliseconds"/>, 50 ms).
/// </summary>
public sealed partial class RedisBreaker(IConnectionMultiplexer redis, IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisBreaker> logger)
{
    private readonly TimeSpan _callTimeout = TimeSpan.FromMilliseconds(options.Value.CallTimeoutMilliseconds);

    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ProbeEvery = TimeSpan.FromMilliseconds(500);

    private long _openUntil;
    private int _probing;

    /// <summary>True while calls skip Redis.</summary>
    public bool IsOpen => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _openUntil);

    /// <summary>The call's answer, or <c>Answered: false</c> when the breaker is open or the call failed or was too slow.</summary>
    public async Task<(bool Answered, T Value)> TryAsync<T>(Func<IDatabase, Task<T>> call)
    {
        if (IsOpen)
        {
            return (false, default!);
        }
        var pending = call(redis.GetDatabase());
        try
        {
            return (true, await pending.WaitAsync(_callTimeout, time));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The slow call goes on without us; its outcome is nobody's, but must not go unobserved.
            _ = pending.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            Open(ex.GetType().Name);
            return (false, default!);
        }
    }

    /// <summary>As <see cref="TryAsync{T}"/>, for a call without an answer; false when it did not happen.</summary>
    public async Task<bool> TryAsync(Func<IDatabase, Task> call) =>
        (await TryAsync(async db =>
        {
            await call(db);
            return true;
        })).Answered;

    private void Open(string reason)
    {
        Interlocked.Exchange(ref _openUntil, (time.GetUtcNow() + OpenFor).UtcTicks);
        if (Interlocked.Exchange(ref _probing, 1) == 0)
        {
            LogOpened(logger, reason);
            _ = ProbeAsync();
        }
    }

    private async Task ProbeAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(ProbeEvery, time);
                try
                {
                    await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(1), time);
                    Interlocked.Exchange(ref _openUntil, 0);
                    LogClosed(logger);
                    return;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    Interlocked.Exchange(ref _openUntil, (time.GetUtcNow() + OpenFor).UtcTicks);
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _probing, 0);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Redis failed or was too slow ({Reason}); requests skip it until it answers a probe")]
    private static partial void LogOpened(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Redis answers again; requests use it")]
    private static partial void LogClosed(ILogger logger);
}
