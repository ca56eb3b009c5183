using Association.Api.Organisation;
using Association.Api.Platform.Database;
using Association.Api.Points;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Tests.Infrastructure;

/// <summary>
/// The real application on the real MariaDB and Redis: each instance (one per test class) gets its own
/// freshly migrated database and its own Redis key prefix, both removed afterwards.
/// </summary>
public class AssociationApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];

    // Hangfire builds its global job filters once per process, logging through the log provider the last host set.
    // When that host was a test class's, already disposed, the type initializer threw, and every later host that runs
    // a job server failed to start for the rest of the run. Built here, before any host, they log nowhere.
    static AssociationApp() => _ = Hangfire.Common.JobFilterProviders.Providers;

    public string DatabaseName => $"association_t_{_id}";

    public string RedisKeyPrefix => $"t{_id}:";

    public string PhotoRoot => Path.Combine(Path.GetTempPath(), $"association-photos-{_id}");

    /// <summary>Where the console's built files are looked for; empty unless a test puts a build there.</summary>
    public string ConsoleRoot => Path.Combine(Path.GetTempPath(), $"association-console-{_id}");

    public string ConnectionString { get; private set; } = "";

    public CapturedLogs Logs { get; } = new();

    /// <summary>Configuration the test class wants on top of the defaults (e.g. a server that is down).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual bool MigrateBeforeStart => true;

    public MySqlDataSource Db => Services.GetRequiredService<MySqlDataSource>();

    public WeChatSimulatorServer WeChat { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        WeChat = await WeChatSimulatorServer.StartAsync();
        ConnectionString = await TestServers.CreateDatabaseAsync(DatabaseName);
        if (MigrateBeforeStart)
        {
            Migrator.Apply(ConnectionString, NullLogger.Instance);
        }
    }

    /// <summary>The application's clock; every date a test writes is relative to it.</summary>
    public TestClock Clock { get; } = new();

    /// <summary>The day the demo points rules took effect, when <see cref="SeedDemoPointRulesAsync"/> seeded them.</summary>
    public DateOnly PointRulesFrom { get; private set; }

    public Task SeedDemoOrganisationAsync() => OrganisationDemoData.SeedAsync(Db, Clock.DbUtcNow());

    /// <summary>
    /// The demo rules, in force from nine months ago: work of the last two quarters finds a rule, and work between
    /// then and a year ago (as old as an award may be) finds none.
    /// </summary>
    public Task SeedDemoPointRulesAsync()
    {
        PointRulesFrom = Clock.Today.AddMonths(-9);
        return PointsDemoData.SeedAsync(Db, PointRulesFrom, Clock.DbUtcNow());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            ["Redis:Configuration"] = TestServers.Redis,
            ["Redis:KeyPrefix"] = RedisKeyPrefix,
            // Two busy cores running test classes side by side make Redis answer in tens of milliseconds at times; the
            // production timeout (50 ms) would then send tests that read Redis to MariaDB. RedisHungTests keeps 50 ms.
            ["Redis:CallTimeoutMilliseconds"] = "1000",
            ["WeChat:AppId"] = WeChat.AppId,
            ["WeChat:AppSecret"] = WeChat.AppSecret,
            ["WeChat:BaseUrl"] = WeChat.BaseUrl,
            ["FieldEncryption:ActiveKeyId"] = "k1",
            ["FieldEncryption:Keys:k1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["FieldEncryption:LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            // Two subscribe templates, as a mini-program registers them: decisions for members, reminders for leaders.
            ["Notifications:Templates:0:Id"] = "TPL-DECISION",
            ["Notifications:Templates:0:Purpose"] = "审核结果通知",
            ["Notifications:Templates:0:Page"] = "pages/inbox/index",
            ["Notifications:Templates:0:Kinds:0"] = "ApplicationApproved",
            ["Notifications:Templates:0:Kinds:1"] = "ApplicationRejected",
            ["Notifications:Templates:0:Kinds:2"] = "PatrolConfirmed",
            ["Notifications:Templates:0:Kinds:3"] = "PatrolRejected",
            ["Notifications:Templates:0:Fields:thing1"] = "Title",
            ["Notifications:Templates:0:Fields:thing2"] = "Body",
            ["Notifications:Templates:0:Fields:date3"] = "Date",
            ["Notifications:Templates:1:Id"] = "TPL-INSURANCE",
            ["Notifications:Templates:1:Purpose"] = "待办提醒",
            ["Notifications:Templates:1:Kinds:0"] = "InsuranceNotice",
            ["Notifications:Templates:1:Kinds:1"] = "ApplicationWaiting",
            ["Notifications:Templates:1:Kinds:2"] = "ReportOverdue",
            ["Notifications:Templates:1:Fields:thing1"] = "Title",
            ["Notifications:Templates:1:Fields:thing2"] = "Body",
            ["Notifications:Templates:1:Fields:time3"] = "Time",
            ["Photos:Root"] = PhotoRoot,
            ["Console:Root"] = ConsoleRoot,
            // Tests run jobs by calling them; a background server per test class would only compete.
            ["Jobs:RunServer"] = "false",
            // Tests sign in far more often than people do; the limit has tests of its own.
            ["Auth:LoginsPerAddressPerMinute"] = "100000",
            ["Auth:LoginsPerOpenIdPerMinute"] = "100000",
            // Our own Debug lines too, so the tests that personal data never reaches a log see every line.
            ["Logging:LogLevel:Association"] = "Debug",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Association.Api.Platform.Http.IAfterWriteFaults, FailAfterWrite>();
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await TestServers.DropDatabaseAsync(DatabaseName);
        await DeleteRedisKeysAsync();
        await WeChat.DisposeAsync();
        if (Directory.Exists(ConsoleRoot))
        {
            Directory.Delete(ConsoleRoot, recursive: true);
        }
        if (Directory.Exists(PhotoRoot))
        {
            Directory.Delete(PhotoRoot, recursive: true);
        }
    }

    private async Task DeleteRedisKeysAsync()
    {
        var options = ConfigurationOptions.Parse(TestServers.Redis);
        options.AbortOnConnectFail = false;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        if (!redis.IsConnected)
        {
            return;
        }
        foreach (var server in redis.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: RedisKeyPrefix + "*"))
            {
                await redis.GetDatabase().KeyDeleteAsync(key);
            }
        }
    }
}
