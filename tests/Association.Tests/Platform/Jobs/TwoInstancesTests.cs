using System.Net.Http.Json;
using Association.Api;
using Association.Api.Platform.Jobs;
using Association.Api.Points;
using Association.Api.Rankings;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Platform.Jobs;

/// <summary>Two API instances on one MariaDB and one Redis, each with a Hangfire server.</summary>
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private sealed class First : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:RunServer"] = "true" };
    }

    private sealed class Second(AssociationApp first) : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Jobs:RunServer"] = "true",
            ["Database:ConnectionString"] = first.ConnectionString,
            ["Redis:KeyPrefix"] = first.RedisKeyPrefix,
            ["WeChat:BaseUrl"] = first.WeChat.BaseUrl,
        };
    }

    private readonly First _first = new();
    private Second _second = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_first).InitializeAsync();
        _second = new Second(_first);
        await ((IAsyncLifetime)_second).InitializeAsync();
        await _first.SeedDemoOrganisationAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_second).DisposeAsync();
        await ((IAsyncLifetime)_first).DisposeAsync();
    }

    [Fact]
    public async Task RecurringJobs_WhenTwoInstancesRegisterAndOneTriggers_ExistOnceAndRunOnce()
    {
        _ = _first.CreateClient();
        _ = _second.CreateClient();
        var storage = _first.Services.GetRequiredService<JobStorage>();
        await WaitUntilAsync(() =>
        {
            using var connection = storage.GetConnection();
            return connection.GetRecurringJobs().Count(j => j.Id == RecurringJobs.Rankings) == 1;
        });
        var succeededBefore = storage.GetMonitoringApi().SucceededListCount();

        _second.Services.GetRequiredService<IRecurringJobManager>().Trigger(RecurringJobs.Rankings);

        await WaitUntilAsync(() => storage.GetMonitoringApi().SucceededListCount() > succeededBefore);
        await Task.Delay(1000);
        Assert.Equal(succeededBefore + 1, storage.GetMonitoringApi().SucceededListCount());
        using var jobs = storage.GetConnection();
        Assert.Single(jobs.GetRecurringJobs(), j => j.Id == RecurringJobs.Rankings);
    }

    [Fact]
    public async Task Leaderboards_WhenAwardedThroughOneInstance_AgreeOnBoth()
    {
        var admin = await _first.SignInWithRoleAsync("sa", Role.SubDistrictAdmin, "TX-DTP");
        var grid = await _first.UnitIdAsync("TX-DTP-GJ-02");
        var (_, member) = await _first.NewMemberAsync(admin, grid);
        (await admin.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, 42, "两实例"))).EnsureSuccessStatusCode();
        var readerOnSecond = _second.CreateClient();
        readerOnSecond.DefaultRequestHeaders.Authorization = admin.Client.DefaultRequestHeaders.Authorization;

        LeaderboardView? onFirst = null, onSecond = null;
        await WaitUntilAsync(async () =>
        {
            onFirst = await admin.Client.GetFromJsonAsync<LeaderboardView>($"/api/leaderboards/Grid/{grid}");
            onSecond = await readerOnSecond.GetFromJsonAsync<LeaderboardView>($"/api/leaderboards/Grid/{grid}");
            return onFirst!.Source == "Redis" && onFirst.Entries.Count == 1 && onSecond!.Entries.Count == 1;
        });

        Assert.Equal(onFirst!.Entries, onSecond!.Entries);
        Assert.Equal(42, onSecond.Entries[0].Points);
    }

    [Fact]
    public async Task SignOut_WhenTheOtherInstanceCachedTheSession_IsRefusedThereWithinASecond()
    {
        var person = await _first.SignInAsync("cached-" + Guid.NewGuid().ToString("N")[..6]);
        var onSecond = _second.CreateClient();
        onSecond.DefaultRequestHeaders.Authorization = person.Client.DefaultRequestHeaders.Authorization;
        (await onSecond.GetAsync("/api/me")).EnsureSuccessStatusCode();
        (await onSecond.GetAsync("/api/me")).EnsureSuccessStatusCode();

        (await person.Client.PostAsync("/api/auth/sign-out", null)).EnsureSuccessStatusCode();

        // Far below SessionCache.Lifetime (15 s): the revocation reached the second instance over Redis.
        var refused = false;
        for (var i = 0; i < 20 && !refused; i++)
        {
            refused = (await onSecond.GetAsync("/api/me")).StatusCode == System.Net.HttpStatusCode.Unauthorized;
            if (!refused)
            {
                await Task.Delay(50);
            }
        }
        Assert.True(refused, "the second instance still accepted a signed-out token");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await person.Client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Erasure_WhenTheOtherInstanceCachedTheName_ShowsTheMemberAnonymousThere()
    {
        var admin = await _first.SignInWithRoleAsync("sa-erase", Role.SubDistrictAdmin, "TX-DTP");
        var grid = await _first.UnitIdAsync("TX-DTP-GJ-03");
        var (person, member) = await _first.NewMemberAsync(admin, grid, "赵六");
        (await admin.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, 7, "两实例姓名"))).EnsureSuccessStatusCode();
        var readerOnSecond = _second.CreateClient();
        readerOnSecond.DefaultRequestHeaders.Authorization = admin.Client.DefaultRequestHeaders.Authorization;
        LeaderboardView? board = null;
        await WaitUntilAsync(async () =>
        {
            board = await readerOnSecond.GetFromJsonAsync<LeaderboardView>($"/api/leaderboards/Grid/{grid}");
            return board!.Entries.Any(e => e.MemberId == member.Id);
        });
        Assert.Equal("赵*", board!.Entries.Single(e => e.MemberId == member.Id).DisplayName);

        (await person.Client.PostAsync("/api/members/me/erase", null)).EnsureSuccessStatusCode();

        await WaitUntilAsync(async () =>
        {
            board = await readerOnSecond.GetFromJsonAsync<LeaderboardView>($"/api/leaderboards/Grid/{grid}");
            return board!.Entries.Single(e => e.MemberId == member.Id).DisplayName == "匿名会员";
        }, attempts: 10, delayMs: 50);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int attempts = 100, int delayMs = 200)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(delayMs);
        }
        Assert.Fail($"The condition did not hold within {attempts * delayMs} ms.");
    }
}
