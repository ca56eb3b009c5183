using Association.Api.Auth;
using Association.Api.Figures;
using Association.Api.Insurance;
using Association.Api.Notifications;
using Association.Api.Patrols;
using Association.Api.Platform;
using Association.Api.Platform.Http;
using Association.Api.Rankings;
using Hangfire;

namespace Association.Api;

/// <summary>The one list of recurring jobs, each with a stable id, a cron and China time.</summary>
public static class RecurringJobs
{
    public const string InsuranceNotices = "insurance-daily-notices";

    public const string Rankings = "rankings-hourly";

    public const string IdempotencyKeysCleanup = "idempotency-keys-cleanup";

    public const string SpentRefreshTokensCleanup = "spent-refresh-tokens-cleanup";

    public const string AbandonedPatrols = "abandoned-patrols-end";

    public const string NotificationPush = "notifications-push";

    public const string NotificationsCleanup = "notifications-cleanup";

    public const string Reminders = "reminders-hourly";

    public const string FiguresRollup = "figures-rollup-hourly";

    public static void Register(IRecurringJobManager jobs)
    {
        var china = new RecurringJobOptions { TimeZone = ChinaTime.Zone };
        jobs.AddOrUpdate<InsuranceNoticesJob>(InsuranceNotices, job => job.RunAsync(null, CancellationToken.None), "0 7 * * *", china);
        // Before the ranking job's run at :05, so a quarter's unit ranking reads figures at most minutes old.
        jobs.AddOrUpdate<FiguresRollupJob>(FiguresRollup, job => job.RunAsync(CancellationToken.None), "50 * * * *", china);
        jobs.AddOrUpdate<RankingsJob>(Rankings, job => job.RunAsync(CancellationToken.None), "5 * * * *", china);
        jobs.AddOrUpdate<IdempotencyKeysCleanupJob>(IdempotencyKeysCleanup, job => job.RunAsync(CancellationToken.None), "*/10 * * * *", china);
        jobs.AddOrUpdate<SpentRefreshTokensCleanupJob>(SpentRefreshTokensCleanup, job => job.RunAsync(CancellationToken.None), "40 3 * * *", china);
        jobs.AddOrUpdate<AbandonedPatrolsJob>(AbandonedPatrols, job => job.RunAsync(CancellationToken.None), "*/15 * * * *", china);
        jobs.AddOrUpdate<NotificationPushJob>(NotificationPush, job => job.RunAsync(CancellationToken.None), "* * * * *", china);
        jobs.AddOrUpdate<NotificationsCleanupJob>(NotificationsCleanup, job => job.RunAsync(CancellationToken.None), "20 4 * * *", china);
        // Working hours only: nobody wants a reminder at three in the morning.
        jobs.AddOrUpdate<RemindersJob>(Reminders, job => job.RunAsync(CancellationToken.None), "30 8-20 * * *", china);
    }
}
