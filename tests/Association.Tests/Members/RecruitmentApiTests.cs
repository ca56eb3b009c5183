using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Platform.Auth;
using Association.Api.Roles;
using Association.Tests.Infrastructure;

namespace Association.Tests.Members;

/// <summary>Coverage on the demo organisation with a known set of members, checked against a hand count.</summary>
public sealed class RecruitmentApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn SubDistrictAdmin { get; set; } = null!;
    private SignedIn VillageAdminDt { get; set; } = null!;
    private SignedIn LeaderDt01 { get; set; } = null!;

    public async Task InitializeAsync()
    {
        SubDistrictAdmin = await app.SubDistrictAdminAsync();
        VillageAdminDt = await app.VillageAdminAsync("TX-DTP-DT");
        LeaderDt01 = await app.GridLeaderAsync("TX-DTP-DT-01");
        await app.OnceAsync("hand-counted members", ArrangeMembersAsync);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    // Hand-counted set: 4 active in DT-01 (312 households), 1 active + 1 suspended in DT-02 (287), 1 in XL-01 (298).
    private async Task<bool> ArrangeMembersAsync()
    {
        for (var i = 0; i < 4; i++)
        {
            await app.NewMemberAsync("TX-DTP-DT-01");
        }
        await app.NewMemberAsync("TX-DTP-DT-02");
        var (_, suspended) = await app.NewMemberAsync("TX-DTP-DT-02");
        (await VillageAdminDt.Client.PostAsJsonAsync($"/api/members/{suspended.Id}/suspend", new ReasonRequest("暂停"))).EnsureSuccessStatusCode();
        await app.NewMemberAsync(SubDistrictAdmin, await app.UnitAsync("TX-DTP-XL-01"));
        return true;
    }

    private async Task<CoverageReport> CoverageAsync(SignedIn who, string code) =>
        (await who.Client.GetFromJsonAsync<CoverageReport>($"/api/membership/coverage?unitId={await app.UnitIdAsync(code)}"))!;

    [Fact]
    public async Task GetCoverage_WhenSubDistrictAdminAsks_MatchesTheHandCount()
    {
        var report = await CoverageAsync(SubDistrictAdmin, "TX-DTP");

        Assert.Equal(20m, report.TargetPercent);
        Assert.Equal(4408, report.Unit!.Households);
        Assert.Equal(6, report.Unit.ActiveMembers);
        Assert.Equal(0.1m, report.Unit.CoveragePercent);
        var dt = report.Villages.Single(v => v.Code == "TX-DTP-DT");
        Assert.Equal((1205, 5, 0.4m), (dt.Households, dt.ActiveMembers, dt.CoveragePercent!.Value));
        var dt01 = report.Grids.Single(g => g.Code == "TX-DTP-DT-01");
        Assert.Equal((312, 4, 1.3m, false), (dt01.Households, dt01.ActiveMembers, dt01.CoveragePercent!.Value, dt01.MeetsTarget!.Value));
        Assert.Equal(1, report.Grids.Single(g => g.Code == "TX-DTP-DT-02").ActiveMembers);
        Assert.Equal(5, report.Villages.Count);
        Assert.Equal(16, report.Grids.Count);
        Assert.Equal(21, report.BelowTarget.Count);
        Assert.Equal("TX-DTP-DT-01", report.BelowTarget[^1].Code);
        Assert.Equal(0, report.BelowTarget[0].ActiveMembers);
        Assert.Equal("TX-DTP-HH", report.BelowTarget[0].Code);
    }

    [Fact]
    public async Task GetCoverage_WhenTargetIsLowered_UnitsMeetItByIntegerArithmetic()
    {
        var subDistrict = await app.UnitIdAsync("TX-DTP");
        var byVillageAdmin = await VillageAdminDt.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(1));
        var tooHigh = await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(101));
        (await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(1))).EnsureSuccessStatusCode();
        try
        {
            var report = await CoverageAsync(SubDistrictAdmin, "TX-DTP");

            // The sub-district is above the village admin's scope: answered as a missing unit.
            await byVillageAdmin.AssertProblemAsync(HttpStatusCode.NotFound);
            await tooHigh.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(1m, report.TargetPercent);
            Assert.True(report.Grids.Single(g => g.Code == "TX-DTP-DT-01").MeetsTarget);
            Assert.False(report.Grids.Single(g => g.Code == "TX-DTP-DT-02").MeetsTarget);
            Assert.DoesNotContain(report.BelowTarget, r => r.Code == "TX-DTP-DT-01");
        }
        finally
        {
            (await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(20))).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task GetCoverage_WhenGridLeaderAsksForTheSubDistrict_SeesOnlyTheirGrid()
    {
        var report = await CoverageAsync(LeaderDt01, "TX-DTP");

        Assert.Null(report.Unit);
        Assert.Empty(report.Villages);
        Assert.Equal("TX-DTP-DT-01", Assert.Single(report.Grids).Code);
    }

    [Fact]
    public async Task GetCoverage_WhenResidentOrUnknownUnit_AnswersNotFoundToBoth()
    {
        var resident = await app.SignInAsync("resident");

        var forbidden = await resident.Client.GetAsync($"/api/membership/coverage?unitId={await app.UnitIdAsync("TX-DTP")}");
        var unknown = await SubDistrictAdmin.Client.GetAsync("/api/membership/coverage?unitId=987654321");

        var outOfScope = await forbidden.AssertProblemAsync(HttpStatusCode.NotFound);
        var missing = await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(missing.GetProperty("title").GetString(), outOfScope.GetProperty("title").GetString());
    }

    [Fact]
    public async Task GetRecruitment_WhenTargetsSet_ShowsMembersJoinedThisYearAgainstThem()
    {
        var year = app.Clock.Today.Year;
        var village = await app.UnitIdAsync("TX-DTP-DT");
        (await VillageAdminDt.Client.PutAsJsonAsync($"/api/membership/recruitment-targets/{village}/{year}", new RecruitmentTargetRequest(10))).EnsureSuccessStatusCode();
        var leaderTries = await LeaderDt01.Client.PutAsJsonAsync($"/api/membership/recruitment-targets/{village}/{year}", new RecruitmentTargetRequest(99));
        var negative = await VillageAdminDt.Client.PutAsJsonAsync($"/api/membership/recruitment-targets/{village}/{year}", new RecruitmentTargetRequest(-1));

        var rows = (await SubDistrictAdmin.Client.GetFromJsonAsync<List<RecruitmentRow>>($"/api/membership/recruitment?unitId={village}&year={year}"))!;

        await leaderTries.AssertProblemAsync(HttpStatusCode.NotFound);
        await negative.AssertProblemAsync(HttpStatusCode.BadRequest);
        var dt = rows.Single(r => r.Code == "TX-DTP-DT");
        Assert.Equal((10, 6L, 60.0m), (dt.Target!.Value, dt.Joined, dt.ProgressPercent!.Value));
        Assert.Equal(4, rows.Single(r => r.Code == "TX-DTP-DT-01").Joined);
        Assert.Null(rows.Single(r => r.Code == "TX-DTP-DT-01").Target);
        var lastYear = (await SubDistrictAdmin.Client.GetFromJsonAsync<List<RecruitmentRow>>($"/api/membership/recruitment?unitId={village}&year={year - 1}"))!;
        Assert.All(lastYear, r => Assert.Equal(0, r.Joined));
    }
}
