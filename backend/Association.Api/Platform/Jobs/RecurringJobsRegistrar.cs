using Association.Api.Insurance;
using Association.Api.Platform.Http;
using Association.Api.Rankings;
using Hangfire;

namespace Association.Api.Platform.Jobs;

/// <summary>
/// The one list of recurring jobs, each with a stable id, a cron and China time. Registration is
/// retried in the background while Redis is down, so a missing Redis never stops the service starting.
/// </summary>
public sealed partial class RecurringJobsRegistrar(IServiceProvider services, ILogger<RecurringJobsRegistrar> logger) : BackgroundService
{
    public static readonly TimeZoneInfo ChinaTimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public const string InsuranceNotices = "insurance-daily-notices";

    public const string Rankings = "rankings-hourly";

    public const string IdempotencyKeysCleanup = "idempotency-keys-cleanup";

    public static void Register(IRecurringJobManager jobs)
    {
        var china = new RecurringJobOptions { TimeZone = ChinaTimeZone };
        jobs.AddOrUpdate<InsuranceNoticesJob>(InsuranceNotices, job => job.RunAsync(null, CancellationToken.None), "0 7 * * *", china);
        jobs.AddOrUpdate<RankingsJob>(Rankings, job => job.RunAsync(CancellationToken.None), "5 * * * *", china);
        jobs.AddOrUpdate<IdempotencyKeysCleanupJob>(IdempotencyKeysCleanup, job => job.RunAsync(CancellationToken.None), "*/10 * * * *", china);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Register(services.GetRequiredService<IRecurringJobManager>());
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
