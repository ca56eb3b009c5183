using System.Net;
using System.Net.Http.Json;
using Association.Api;
using Association.Api.Insurance;
using Association.Api.Members;
using Association.Api.Notifications;
using Association.Api.Platform.Jobs;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using MySqlConnector;

namespace Association.Tests.Insurance;

public sealed class InsuranceApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn SubDistrictAdmin { get; set; } = null!;
    private SignedIn VillageAdminHh { get; set; } = null!;
    private SignedIn LeaderHh01 { get; set; } = null!;
    private long VillageHh { get; set; }
    private long GridHh01 { get; set; }

    public async Task InitializeAsync()
    {
        SubDistrictAdmin = await app.SubDistrictAdminAsync();
        VillageAdminHh = await app.VillageAdminAsync("TX-DTP-HH");
        LeaderHh01 = await app.GridLeaderAsync("TX-DTP-HH-01");
        VillageHh = await app.UnitAsync("TX-DTP-HH");
        GridHh01 = await app.UnitAsync("TX-DTP-HH-01");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private DateOnly Today => app.Clock.Today;

    private static int _number = Random.Shared.Next(10_000, 90_000);

    private static string NewNumber() => $"PA-{Interlocked.Increment(ref _number)}";

    private NewPolicyRequest Policy(IReadOnlyList<long> members, DateOnly? start = null, DateOnly? end = null) =>
        new("中国人保天心支公司", NewNumber(), VillageHh, start ?? Today.AddDays(-10), end ?? Today.AddDays(355), 20.50m, members);

    private Task<(SignedIn Person, MemberView Member)> MemberAsync(long? grid = null) => app.NewMemberAsync(VillageAdminHh, grid ?? GridHh01);

    private async Task<PolicyView> RecordAsync(NewPolicyRequest request)
    {
        var response = await VillageAdminHh.Client.PostAsJsonAsync("/api/insurance/policies", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PolicyView>())!;
    }

    [Fact]
    public async Task RecordPolicy_WhenAdminBuysForTheVillage_CoversTheMembersToday()
    {
        var (person, member) = await MemberAsync();
        var (_, other) = await MemberAsync();

        var policy = await RecordAsync(Policy([member.Id, other.Id]));

        Assert.Equal((2L, 20.50m), (policy.MembersCovered, policy.PremiumPerPerson));
        var mine = (await person.Client.GetFromJsonAsync<MemberCoverage>("/api/insurance/me"))!;
        Assert.True(mine.CoveredToday);
        Assert.Equal((policy.Id, policy.CoverageEnd), (mine.PolicyId!.Value, mine.CoveredUntil!.Value));
        Assert.True((await LeaderHh01.Client.GetFromJsonAsync<MemberCoverage>($"/api/insurance/members/{other.Id}"))!.CoveredToday);
    }

    [Fact]
    public async Task RecordPolicy_WhenInputIsWrong_Returns4xxAndWritesNothing()
    {
        var (_, member) = await MemberAsync();
        var (_, outsider) = await app.NewMemberAsync(SubDistrictAdmin, await app.UnitIdAsync("TX-DTP-XF-01"));
        var existing = await RecordAsync(Policy([member.Id]));
        await using var connection = await app.Db.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM insurance_policies");

        var endBeforeStart = await VillageAdminHh.Client.PostAsJsonAsync("/api/insurance/policies", Policy([member.Id], Today, Today.AddDays(-1)));
        var negative = await VillageAdminHh.Client.PostAsJsonAsync("/api/insurance/policies", Policy([member.Id]) with { PremiumPerPerson = -1 });
        var outside = await VillageAdminHh.Client.PostAsJsonAsync("/api/insurance/policies", Policy([member.Id, outsider.Id]));
        var twice = await VillageAdminHh.Client.PostAsJsonAsync("/api/insurance/policies", Policy([member.Id]) with { PolicyNumber = existing.PolicyNumber });
        var byLeader = await LeaderHh01.Client.PostAsJsonAsync("/api/insurance/policies", Policy([member.Id]));

        Assert.True((await endBeforeStart.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("coverageEnd", out _));
        Assert.True((await negative.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("premiumPerPerson", out _));
        Assert.True((await outside.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("memberIds", out _));
        await twice.AssertProblemAsync(HttpStatusCode.Conflict);
        // The village is above the leader's grid: answered as a unit that does not exist.
        await byLeader.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM insurance_policies"));
    }

    [Fact]
    public async Task EndorsePolicy_WhenMembersAddedAndAnotherPolicyOverlaps_CoversThemAndReportsTheOverlap()
    {
        var (_, first) = await MemberAsync();
        var (_, later) = await MemberAsync();
        var policy = await RecordAsync(Policy([first.Id]));

        var endorsed = await VillageAdminHh.Client.PostAsJsonAsync($"/api/insurance/policies/{policy.Id}/endorsements", new EndorsementRequest([later.Id], null));
        var outOfPeriod = await VillageAdminHh.Client.PostAsJsonAsync($"/api/insurance/policies/{policy.Id}/endorsements", new EndorsementRequest([later.Id], Today.AddYears(2)));
        var second = await RecordAsync(Policy([first.Id], Today, Today.AddDays(100)));

        Assert.Equal(2, (await endorsed.Content.ReadFromJsonAsync<PolicyView>())!.MembersCovered);
        await outOfPeriod.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([first.Id], second.OverlappingMemberIds);
        Assert.True((await VillageAdminHh.Client.GetFromJsonAsync<MemberCoverage>($"/api/insurance/members/{later.Id}"))!.CoveredToday);
    }

    [Fact]
    public async Task DailyNotices_WhenRunTwice_GiveOneSetForOverdueMembersAndEndingPolicies()
    {
        var (_, waiting) = await MemberAsync();
        var (coveredPerson, covered) = await MemberAsync();
        var ending = await RecordAsync(Policy([covered.Id], Today.AddDays(-300), Today.AddDays(10)));
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE members SET joined_on = @day WHERE id = @id", new { day = Today.AddDays(-20).ToDateTime(TimeOnly.MinValue), id = waiting.Id });
        var job = app.Services.GetRequiredService<InsuranceNoticesJob>();
        await VillageAdminHh.AcceptSubscribeAsync("TPL-INSURANCE", times: 2);
        await SubDistrictAdmin.AcceptSubscribeAsync("TPL-INSURANCE", times: 2);

        await job.RunAsync(Today, default);
        var afterFirst = (await VillageAdminHh.Client.GetFromJsonAsync<List<AdminNotice>>("/api/insurance/notices"))!;
        await job.RunAsync(Today, default);
        var notices = (await VillageAdminHh.Client.GetFromJsonAsync<List<AdminNotice>>("/api/insurance/notices"))!;
        await app.PushNotificationsAsync();
        await app.PushNotificationsAsync();

        Assert.Equal(afterFirst.Select(n => n.Id), notices.Select(n => n.Id));
        // The day's notices reached each admin on or above their units as one digest, however often the job ran.
        foreach (var admin in new[] { VillageAdminHh, SubDistrictAdmin })
        {
            var digest = Assert.Single((await admin.InboxAsync()).Items, n => n.Kind == NotificationKind.InsuranceNotice);
            Assert.Matches(@"\d+ 名会员尚未参保", digest.Body);
            var sent = Assert.Single(app.MessagesTo(admin, "TPL-INSURANCE"));
            ProblemAssertions.AssertSubscribeMessageInChinese(sent);
        }
        // The covered member hears that their cover ends soon, once.
        var endingNotices = (await coveredPerson.InboxAsync()).Items.Where(n => n.Kind == NotificationKind.InsuranceEnding).ToList();
        Assert.Single(endingNotices);
        Assert.All(notices, n => ProblemAssertions.AssertChinese(n.Message));
        Assert.Single(notices, n => n.Kind == "MemberUncovered" && n.SubjectId == waiting.Id);
        Assert.Single(notices, n => n.Kind == "PolicyExpiring" && n.SubjectId == ending.Id);
        var gaps = (await VillageAdminHh.Client.GetFromJsonAsync<CoverageGaps>($"/api/insurance/gaps?unitId={VillageHh}"))!;
        var gap = Assert.Single(gaps.OverdueNewMembers, g => g.MemberId == waiting.Id);
        Assert.Equal(20, gap.DaysWaited);
        Assert.Contains(gaps.ExpiringPolicies, p => p.Id == ending.Id);
        Assert.DoesNotContain(gaps.UncoveredActive, g => g.MemberId == covered.Id);
    }

    [Fact]
    public async Task ExportPolicyRoster_WhenSubDistrictAdminExports_ListsConsentingMembersInFullAndAuditsIt()
    {
        var consenting = await app.SignInAsync("consenting-" + Guid.NewGuid().ToString("N")[..6]);
        var id = TestPeople.IdNumber();
        var application = await consenting.ApplyAsync(TestPeople.Application(GridHh01, id) with { RealName = "吴十" });
        (await VillageAdminHh.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();
        var consentingMember = (await consenting.Client.GetFromJsonAsync<MemberView>("/api/members/me"))!;
        (await consenting.Client.PutAsJsonAsync("/api/insurance/me/consent", new ConsentRequest(true))).EnsureSuccessStatusCode();
        var (_, silent) = await MemberAsync();
        var policy = await RecordAsync(Policy([consentingMember.Id, silent.Id]));

        var byVillageAdmin = await VillageAdminHh.Client.GetAsync($"/api/insurance/policies/{policy.Id}/roster");
        var response = await SubDistrictAdmin.Client.GetAsync($"/api/insurance/policies/{policy.Id}/roster");

        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var sheet = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var full = rows.Single(r => (string)r["会员编号"] == consentingMember.MemberNumber);
        Assert.Equal(("吴十", id), ((string)full["姓名"], (string)full["身份证号"]));
        var excluded = rows.Single(r => (string)r["会员编号"] == silent.MemberNumber);
        Assert.Null(excluded["身份证号"]);
        Assert.Contains("未同意", (string)excluded["说明"]);
        ProblemAssertions.AssertNoEnglishIn(rows);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal((1L, 1L), await connection.QuerySingleAsync<(long, long)>(
            "SELECT CAST(members_included AS SIGNED), CAST(members_excluded AS SIGNED) FROM insurance_exports WHERE policy_id = @id", new { id = policy.Id }));
        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("DELETE FROM insurance_exports"));
    }

    [Fact]
    public async Task GetInsuranceFigures_WhenSomeAreCovered_ReportsTheShareAndDaysToCover()
    {
        var grid = await app.UnitIdAsync("TX-DTP-HH-04");
        var (_, a) = await MemberAsync(grid);
        await MemberAsync(grid);
        await RecordAsync(Policy([a.Id], Today, Today.AddDays(300)));

        var figures = (await VillageAdminHh.Client.GetFromJsonAsync<InsuranceFigures>($"/api/insurance/figures?unitId={grid}"))!;

        var row = Assert.Single(figures.Units);
        Assert.Equal((2L, 1L, 50.0m), (row.ActiveMembers, row.Covered, row.CoveragePercent!.Value));
        Assert.Equal(0m, figures.AverageDaysToCover);
    }
}

/// <summary>The schedule itself: registered once with a stable id in China time, and run by Hangfire on Redis.</summary>
public sealed class InsuranceJobScheduleTests(InsuranceJobScheduleTests.App app) : IClassFixture<InsuranceJobScheduleTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:RunServer"] = "true" };
    }

    [Fact]
    public async Task RecurringJobs_WhenServiceStarts_AreRegisteredInChinaTimeAndRunOnTrigger()
    {
        _ = app.CreateClient();
        var storage = app.Services.GetRequiredService<JobStorage>();
        RecurringJobDto? job = null;
        for (var i = 0; i < 50 && job is null; i++)
        {
            using var connection = storage.GetConnection();
            job = connection.GetRecurringJobs().SingleOrDefault(j => j.Id == RecurringJobs.InsuranceNotices);
            if (job is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(job);
        Assert.Equal("Asia/Shanghai", job.TimeZoneId);
        Assert.Equal("0 7 * * *", job.Cron);
        using (var connection = storage.GetConnection())
        {
            var cleanup = connection.GetRecurringJobs().Single(j => j.Id == RecurringJobs.IdempotencyKeysCleanup);
            Assert.Equal(("Asia/Shanghai", "*/10 * * * *"), (cleanup.TimeZoneId, cleanup.Cron));
        }
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(RecurringJobs.InsuranceNotices);
        for (var i = 0; i < 100; i++)
        {
            using var connection = storage.GetConnection();
            if (connection.GetRecurringJobs().Single(j => j.Id == RecurringJobs.InsuranceNotices).LastJobState == "Succeeded")
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("The triggered job did not succeed within 20 s.");
    }
}
