using System.Threading.Channels;
using Association.Api.Platform;
using StackExchange.Redis;

namespace Association.Api.Rankings;

/// <summary>
/// Rebuilds this quarter's boards from MariaDB whenever the connection to Redis comes back or its primary changes.
/// Redis replicates asynchronously: when Sentinel promotes a replica, the changes the old primary had acknowledged but
/// not yet passed on are gone, and the outbox let them go when they were acknowledged. Nothing else would put the
/// boards right before the hourly rebuild. Several instances may rebuild at once; each rebuild is whole and the same.
/// </summary>
public sealed partial class LeaderboardRepair(IConnectionMultiplexer redis, LeaderboardRebuilder rebuilder, TimeProvider time,
    ILogger<LeaderboardRepair> logger) : BackgroundService
{
    // A failover reconnects and reconfigures in several steps: rebuild once it has settled.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _wanted = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += OnRestored;
        redis.ConfigurationChanged += OnReconfigured;
        try
        {
            while (await _wanted.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Settle, time, stoppingToken);
                while (_wanted.Reader.TryRead(out _))
                {
                }
                await RepairAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.ConnectionRestored -= OnRestored;
            redis.ConfigurationChanged -= OnReconfigured;
        }
    }

    private async Task RepairAsync(CancellationToken ct)
    {
        var quarter = Quarter.Of(time.Today()).ToString();
        try
        {
            await rebuilder.RebuildAsync(quarter, ct);
            LogRebuilt(logger, quarter);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or MySqlConnector.MySqlException)
        {
            LogPostponed(logger, ex.GetType().Name);
            await Task.Delay(RetryAfter, time, ct);
            Request();
        }
    }

    /// <summary>Asks for a rebuild once things settle; requests that arrive meanwhile are one.</summary>
    public void Request() => _wanted.Writer.TryWrite(true);

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => Request();

    private void OnReconfigured(object? sender, EndPointEventArgs e) => Request();

    [LoggerMessage(LogLevel.Information, "Redis came back or changed primary: the boards of {Quarter} were rebuilt from MariaDB")]
    private static partial void LogRebuilt(ILogger logger, string quarter);

    [LoggerMessage(LogLevel.Warning, "Rebuilding the boards after a Redis change failed ({Reason}); trying again shortly")]
    private static partial void LogPostponed(ILogger logger, string reason);
}
