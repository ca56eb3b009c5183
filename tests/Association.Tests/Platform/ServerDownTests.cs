using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Association.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Platform;

/// <summary>Port 9 on loopback (discard) has no listener here: connections are refused at once.</summary>
internal static class Unreachable
{
    public const string MariaDb = "Server=127.0.0.1;Port=9;User ID=nobody;Password=nothing;Database=association;Connection Timeout=2";
    public const string Redis = "127.0.0.1:9,connectTimeout=500";
}

public sealed class MariaDbDownTests(MariaDbDownTests.App app) : IClassFixture<MariaDbDownTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override bool MigrateBeforeStart => false;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = Unreachable.MariaDb,
        };
    }

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task GetLive_WhenMariaDbIsDown_StillReturns200()
    {
        var response = await _client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetReady_WhenMariaDbIsDown_Returns503NamingMariaDb()
    {
        var response = await _client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("mariadb").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.DoesNotContain("nobody", checks.GetRawText());
    }

    [Fact]
    public async Task GetOrgTree_WhenMariaDbIsDown_Returns503ProblemWithRetryAfter()
    {
        var response = await _client.GetAsync("/api/org/tree");

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task GetOrgTree_WhenMariaDbIsDown_LogsTheRequestAtWarning()
    {
        await _client.GetAsync("/api/org/tree");

        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning ", StringComparison.Ordinal)
            && l.Contains("HTTP GET /api/org/tree answered 503", StringComparison.Ordinal));
    }
}

public sealed class RedisDownTests(RedisDownTests.App app) : IClassFixture<RedisDownTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = Unreachable.Redis,
        };
    }

    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task GetReady_WhenRedisIsDown_ReportsDegradedAndNamesRedis()
    {
        var body = await HealthTests.WaitForReadyAsync(_client);

        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("mariadb").GetProperty("status").GetString());
        Assert.Equal("Degraded", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SignIn_WhenRedisIsDown_StillIssuesTokensThatWork()
    {
        var person = await app.SignInAsync("redis-down");

        var response = await person.Client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetLeaderboard_WhenRedisIsDown_AnswersFromMariaDb()
    {
        await app.SeedDemoOrganisationAsync();
        var person = await app.SignInAsync("leaderboard-reader");

        var response = await person.Client.GetAsync($"/api/leaderboards/Grid/{await app.UnitIdAsync("TX-DTP-DT-01")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("MariaDB", (await response.Content.ReadFromJsonAsync<Association.Api.Rankings.LeaderboardView>())!.Source);
    }

    [Fact]
    public async Task SignInAndLeaderboards_WhenRedisIsDown_FallBackWithinHalfASecond()
    {
        await app.SeedDemoOrganisationAsync();
        await app.SignInAsync("warm-up-" + Guid.NewGuid().ToString("N")[..6]);
        var grid = await app.UnitIdAsync("TX-DTP-DT-01");

        var (signIn, boards) = await FastestFallbackAsync(app, grid);

        Assert.True(signIn < TimeSpan.FromMilliseconds(500), $"sign-in took {signIn.TotalMilliseconds:F0} ms");
        Assert.True(boards < TimeSpan.FromMilliseconds(500), $"two leaderboard reads took {boards.TotalMilliseconds:F0} ms");
    }

    /// <summary>
    /// The fastest of three rounds of a sign-in, then two leaderboard reads: the best of three, so a test machine busy with
    /// other classes cannot fail it, while a wait for Redis (its 5 s timeout) would show in every round.
    /// </summary>
    internal static async Task<(TimeSpan SignIn, TimeSpan Boards)> FastestFallbackAsync(AssociationApp app, long grid)
    {
        var (signIn, boards) = (TimeSpan.MaxValue, TimeSpan.MaxValue);
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            var person = await app.SignInAsync("fast-fallback-" + Guid.NewGuid().ToString("N")[..6]);
            signIn = TimeSpan.FromTicks(Math.Min(signIn.Ticks, clock.Elapsed.Ticks));
            clock.Restart();
            var board = await person.Client.GetAsync($"/api/leaderboards/Grid/{grid}");
            var mine = await person.Client.GetAsync("/api/leaderboards/me");
            boards = TimeSpan.FromTicks(Math.Min(boards.Ticks, clock.Elapsed.Ticks));
            Assert.Equal(HttpStatusCode.OK, board.StatusCode);
            Assert.True(mine.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, mine.StatusCode.ToString());
        }
        return (signIn, boards);
    }

    [Fact]
    public async Task GetOrgTree_WhenRedisIsDown_StillAnswersFromMariaDb()
    {
        await app.SeedDemoOrganisationAsync();

        var response = await _client.GetAsync("/api/org/tree");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>Redis behind a relay that freezes: connected, but answering nothing, as a hung Redis is.</summary>
public sealed class RedisHungTests(RedisHungTests.App app) : IClassFixture<RedisHungTests.App>
{
    public sealed class App : AssociationApp
    {
        // Lives as long as the test run: the application's multiplexer keeps connecting to it until the host is gone.
        public FreezableProxy Redis { get; } = new(TestServers.Redis.Split(',')[0]);

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = $"127.0.0.1:{Redis.Port}",
            // The production default, which the half-second promise rests on.
            ["Redis:CallTimeoutMilliseconds"] = "50",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await SeedDemoOrganisationAsync();
        }
    }

    [Fact]
    public async Task SignInAndLeaderboards_WhenRedisHangsWithItsConnectionsOpen_FallBackWithinHalfASecondAndComeBackWhenItAnswers()
    {
        var grid = await app.UnitIdAsync("TX-DTP-DT-01");
        var breaker = app.Services.GetRequiredService<Association.Api.Platform.Redis.RedisBreaker>();
        var reader = await app.SignInAsync("hung-warm-up");
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync($"/api/leaderboards/Grid/{grid}")).StatusCode);
        // A busy test machine may have made a warm-up call slower than 50 ms: start from a breaker that is closed.
        await WaitUntilAsync(() => !breaker.IsOpen);

        app.Redis.Freeze();
        TimeSpan signIn, boards;
        JsonElement ready;
        try
        {
            (signIn, boards) = await RedisDownTests.FastestFallbackAsync(app, grid);
            ready = await app.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");
            Assert.True(breaker.IsOpen);
        }
        finally
        {
            app.Redis.Thaw();
        }

        Assert.True(signIn < TimeSpan.FromMilliseconds(500), $"sign-in took {signIn.TotalMilliseconds:F0} ms");
        Assert.True(boards < TimeSpan.FromMilliseconds(500), $"two leaderboard reads took {boards.TotalMilliseconds:F0} ms");
        Assert.Equal("Degraded", ready.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        // The probe finds Redis answering again within a few of its rounds.
        await WaitUntilAsync(() => !breaker.IsOpen);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), "the breaker stayed open");
    }
}

/// <summary>Redis hung before the service starts: connections open, nothing answered, not even the subscriptions.</summary>
public sealed class RedisHungAtStartTests(RedisHungAtStartTests.App app) : IClassFixture<RedisHungAtStartTests.App>
{
    public sealed class App : AssociationApp
    {
        public FreezableProxy Redis { get; } = Frozen(new FreezableProxy(TestServers.Redis.Split(',')[0]));

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = $"127.0.0.1:{Redis.Port}",
            ["Redis:CallTimeoutMilliseconds"] = "50",
        };

        private static FreezableProxy Frozen(FreezableProxy proxy)
        {
            proxy.Freeze();
            return proxy;
        }
    }

    [Fact]
    public async Task Start_WhenRedisHangs_StartsWithinSecondsAndSignsPeopleIn()
    {
        var clock = Stopwatch.StartNew();
        var live = await app.CreateClient().GetAsync("/health/live");
        var started = clock.Elapsed;
        var person = await app.SignInAsync("hung-at-start");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // The start waits out the connect timeouts (ours is 3 s, Hangfire's storage has its own) and a second for each of
        // the three caches' subscriptions; before, the first subscription's 5 s timeout failed the start outright.
        Assert.True(started < TimeSpan.FromSeconds(30), $"start took {started.TotalSeconds:F1} s");
        Assert.Equal(HttpStatusCode.OK, (await person.Client.GetAsync("/api/me")).StatusCode);
    }
}
