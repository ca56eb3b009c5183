using Hangfire;

namespace Association.Api.Platform.Jobs;

/// <summary>The composition root's list of recurring jobs, handed to <see cref="JobsSetup.AddJobs"/>.</summary>
public sealed record RecurringJobSchedule(Action<IRecurringJobManager> Register);

/// <summary>
/// Registers the recurring jobs at start, retrying in the background while Redis is down, so a missing Redis
/// never stops the service starting.
/// </summary>
public sealed partial class RecurringJobsRegistrar(IServiceProvider services, RecurringJobSchedule schedule, ILogger<RecurringJobsRegistrar> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                schedule.Register(services.GetRequiredService<IRecurringJobManager>());
                return;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or InvalidOperationException)
            {
                LogNotRegistered(logger, ex.GetType().Name, delay);
            }
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Recurring jobs not registered yet ({Reason}); retrying in {Delay}")]
    private static partial void LogNotRegistered(ILogger logger, string reason, TimeSpan delay);
}
