using Association.Api.Platform.Redis;
using Hangfire;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Platform.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Whether this instance processes jobs; every instance registers the schedule either way.</summary>
    public bool RunServer { get; set; } = true;
}

public static class JobsSetup
{
    public static void AddJobs(this WebApplicationBuilder builder, Action<IRecurringJobManager> registerRecurringJobs)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        // Registered before AddHangfire, which would otherwise hand out the process-wide JobStorage.Current:
        // whichever host configured Hangfire last, so two hosts in one process (tests) shared one storage,
        // and a host could use another's disposed Redis connection.
        builder.Services.AddSingleton<JobStorage>(services => new RedisStorage(
            services.GetRequiredService<IConnectionMultiplexer>(),
            new RedisStorageOptions { Prefix = services.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix + "hangfire:" }));
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        builder.Services.AddHostedService<JobServerHost>();
        builder.Services.AddSingleton(new RecurringJobSchedule(registerRecurringJobs));
        builder.Services.AddHostedService<RecurringJobsRegistrar>();
    }
}

/// <summary>Runs a Hangfire server in this instance when <see cref="JobsOptions.RunServer"/> says so, decided at start from options.</summary>
public sealed class JobServerHost(IOptions<JobsOptions> options, JobStorage storage, IServiceProvider services) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RunServer)
        {
            _server = new BackgroundJobServer(new BackgroundJobServerOptions
            {
                WorkerCount = 2,
                Activator = services.GetRequiredService<JobActivator>(),
            }, storage);
        }
        return Task.CompletedTask;
    }

    // Stop and dispose each take the server once: a host stopped after it was disposed (a test host torn down twice)
    // or disposed while stopping finds nothing left to do instead of a disposed Hangfire server.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            server.SendStop();
            await server.WaitForShutdownAsync(cancellationToken);
            server.Dispose();
        }
    }

    public void Dispose() => Interlocked.Exchange(ref _server, null)?.Dispose();
}
