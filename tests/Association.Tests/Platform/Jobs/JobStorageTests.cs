using Association.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Association.Tests.Platform.Jobs;

/// <summary>
/// Hangfire keeps one storage per process (JobStorage.Current); each host must still use its own,
/// or a host schedules into another's Redis prefix and fails once that host is gone.
/// </summary>
public sealed class JobStorageTests
{
    [Fact]
    public async Task Storage_WhenSeveralHostsStartAtOnceInOneProcess_IsEachHostsOwn()
    {
        var apps = Enumerable.Range(0, 6).Select(_ => new AssociationApp()).ToArray();
        try
        {
            await Task.WhenAll(apps.Select(app => ((IAsyncLifetime)app).InitializeAsync()));
            await Task.WhenAll(apps.Select(app => Task.Run(() => app.CreateClient())));

            var storages = apps.Select(app => app.Services.GetRequiredService<JobStorage>()).ToArray();
            Assert.Equal(apps.Length, storages.Distinct().Count());

            await using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
            // A host whose registration met a busy Redis retries after 2, 4, 8... seconds (RecurringJobsRegistrar); one that
            // scheduled into another host's prefix never shows here, however long the wait.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            foreach (var app in apps)
            {
                var scheduled = false;
                while (!scheduled && waited.Elapsed < TimeSpan.FromSeconds(90))
                {
                    scheduled = await redis.GetDatabase().KeyExistsAsync(app.RedisKeyPrefix + "hangfire:recurring-jobs");
                    if (!scheduled)
                    {
                        await Task.Delay(100);
                    }
                }
                Assert.True(scheduled, $"the host with prefix {app.RedisKeyPrefix} scheduled its jobs elsewhere");
            }

            await ((IAsyncLifetime)apps[0]).DisposeAsync();
            using var connection = storages[1].GetConnection();
            Assert.NotEmpty(connection.GetRecurringJobs());
        }
        finally
        {
            foreach (var app in apps.Skip(1))
            {
                await ((IAsyncLifetime)app).DisposeAsync();
            }
        }
    }
}
