using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Organisation;
using Association.Api.Platform.Auth;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using MiniExcelLibs;

namespace Association.Tests.Members;

/// <summary>Coverage on the demo organisation with a known set of members, checked against a hand count.</summary>
public sealed class RecruitmentApiTests(RecruitmentApiTests.App app) : IClassFixture<RecruitmentApiTests.App>
{
    public sealed class App : AssociationApp
    {
        public SignedIn SubDistrictAdmin { get; private set; } = null!;
        public SignedIn VillageAdminDt { get; private set; } = null!;
        public SignedIn LeaderDt01 { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await SeedDemoOrganisationAsync();
            SubDistrictAdmin = await this.SignInWithRoleAsync("sa", Role.SubDistrictAdmin, "TX-DTP");
            VillageAdminDt = await this.SignInWithRoleAsync("va-dt", Role.VillageAdmin, "TX-DTP-DT");
            LeaderDt01 = await this.SignInWithRoleAsync("gl-dt01", Role.GridLeader, "TX-DTP-DT-01");
            // Hand-counted set: 4 active in DT-01 (312 households), 1 active + 1 suspended in DT-02 (287), 1 in XL-01 (298).
            var dt01 = await this.UnitIdAsync("TX-DTP-DT-01");
            var dt02 = await this.UnitIdAsync("TX-DTP-DT-02");
            for (var i = 0; i < 4; i++)
            {
                await this.NewMemberAsync(VillageAdminDt, dt01);
            }
            await this.NewMemberAsync(VillageAdminDt, dt02);
            var (_, suspended) = await this.NewMemberAsync(VillageAdminDt, dt02);
            (await VillageAdminDt.Client.PostAsJsonAsync($"/api/members/{suspended.Id}/suspend", new ReasonRequest("暂停"))).EnsureSuccessStatusCode();
            await this.NewMemberAsync(SubDistrictAdmin, await this.UnitIdAsync("TX-DTP-XL-01"));
        }
    }

    private async Task<CoverageReport> CoverageAsync(SignedIn who, string code) =>
        (await who.Client.GetFromJsonAsync<CoverageReport>($"/api/membership/coverage?unitId={await app.UnitIdAsync(code)}"))!;

    [Fact]
    public async Task GetCoverage_WhenSubDistrictAdminAsks_MatchesTheHandCount()
    {
        var report = await CoverageAsync(app.SubDistrictAdmin, "TX-DTP");

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
        var byVillageAdmin = await app.VillageAdminDt.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(1));
        var tooHigh = await app.SubDistrictAdmin.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(101));
        (await app.SubDistrictAdmin.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(1))).EnsureSuccessStatusCode();
        try
        {
            var report = await CoverageAsync(app.SubDistrictAdmin, "TX-DTP");

            await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
            await tooHigh.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal(1m, report.TargetPercent);
            Assert.True(report.Grids.Single(g => g.Code == "TX-DTP-DT-01").MeetsTarget);
            Assert.False(report.Grids.Single(g => g.Code == "TX-DTP-DT-02").MeetsTarget);
            Assert.DoesNotContain(report.BelowTarget, r => r.Code == "TX-DTP-DT-01");
        }
        finally
        {
            (await app.SubDistrictAdmin.Client.PutAsJsonAsync($"/api/membership/coverage-target/{subDistrict}", new CoverageTargetRequest(20))).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task GetCoverage_WhenGridLeaderAsksForTheSubDistrict_SeesOnlyTheirGrid()
    {
        var report = await CoverageAsync(app.LeaderDt01, "TX-DTP");

        Assert.Null(report.Unit);
        Assert.Empty(report.Villages);
        Assert.Equal("TX-DTP-DT-01", Assert.Single(report.Grids).Code);
    }

    [Fact]
    public async Task GetCoverage_WhenResidentOrUnknownUnit_Returns403Or404()
    {
        var resident = await app.SignInAsync("resident");

        var forbidden = await resident.Client.GetAsync($"/api/membership/coverage?unitId={await app.UnitIdAsync("TX-DTP")}");
        var unknown = await app.SubDistrictAdmin.Client.GetAsync("/api/membership/coverage?unitId=987654321");

        await forbidden.AssertProblemAsync(HttpStatusCode.Forbidden);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetRecruitment_WhenTargetsSet_ShowsMembersJoinedThisYearAgainstThem()
    {
        var year = app.Clock.Today.Year;
        var village = await app.UnitIdAsync("TX-DTP-DT");
        (await app.VillageAdminDt.Client.PutAsJsonAsync($"/api/membership/recruitment-targets/{village}/{year}", new RecruitmentTargetRequest(10))).EnsureSuccessStatusCode();
        var leaderTries = await app.LeaderDt01.Client.PutAsJsonAsync($"/api/membership/recruitment-targets/{village}/{year}", new RecruitmentTargetRequest(99));
        var negative = await app.VillageAdminDt.Client.PutAsJsonAsync($"/api/membership/recruitment-targets/{village}/{year}", new RecruitmentTargetRequest(-1));

        var rows = (await app.SubDistrictAdmin.Client.GetFromJsonAsync<List<RecruitmentRow>>($"/api/membership/recruitment?unitId={village}&year={year}"))!;

        await leaderTries.AssertProblemAsync(HttpStatusCode.Forbidden);
        await negative.AssertProblemAsync(HttpStatusCode.BadRequest);
        var dt = rows.Single(r => r.Code == "TX-DTP-DT");
        Assert.Equal((10, 6L, 60.0m), (dt.Target!.Value, dt.Joined, dt.ProgressPercent!.Value));
        Assert.Equal(4, rows.Single(r => r.Code == "TX-DTP-DT-01").Joined);
        Assert.Null(rows.Single(r => r.Code == "TX-DTP-DT-01").Target);
        var lastYear = (await app.SubDistrictAdmin.Client.GetFromJsonAsync<List<RecruitmentRow>>($"/api/membership/recruitment?unitId={village}&year={year - 1}"))!;
        Assert.All(lastYear, r => Assert.Equal(0, r.Joined));
    }
}

public sealed class HouseholdImportTests(HouseholdImportTests.App app) : IClassFixture<HouseholdImportTests.App>
{
    public sealed class App : AssociationApp
    {
        public SignedIn VillageAdminGj { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await SeedDemoOrganisationAsync();
            VillageAdminGj = await this.SignInWithRoleAsync("va-gj", Role.VillageAdmin, "TX-DTP-GJ");
        }
    }

    private static MultipartFormDataContent Sheet(IEnumerable<Dictionary<string, object>> rows)
    {
        var stream = new MemoryStream();
        stream.SaveAs(rows);
        var file = new ByteArrayContent(stream.ToArray());
        file.Headers.ContentType = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return new MultipartFormDataContent { { file, "file", "households.xlsx" } };
    }

    private static Dictionary<string, object> Row(string code, object households) => new() { ["code"] = code, ["households"] = households };

    private async Task<long> HouseholdsAsync(string code) =>
        (await app.CreateClient().GetFromJsonAsync<OrgUnit>($"/api/org/units/{await app.UnitIdAsync(code)}"))!.Households;

    [Fact]
    public async Task ImportHouseholds_WhenEveryRowIsGood_UpdatesTheGrids()
    {
        var response = await app.VillageAdminGj.Client.PostAsync("/api/org/households/import",
            Sheet([Row("TX-DTP-GJ-01", 401), Row("TX-DTP-GJ-02", 402)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<HouseholdImportApi.ImportResult>())!.Updated);
        Assert.Equal(401, await HouseholdsAsync("TX-DTP-GJ-01"));
        Assert.Equal(402, await HouseholdsAsync("TX-DTP-GJ-02"));
    }

    [Fact]
    public async Task ImportHouseholds_WhenSomeRowsAreBad_ReportsEachAndImportsNothing()
    {
        var before = await HouseholdsAsync("TX-DTP-GJ-03");

        var response = await app.VillageAdminGj.Client.PostAsync("/api/org/households/import", Sheet(
        [
            Row("TX-DTP-GJ-03", 333),
            Row("TX-NOPE-01", 10),
            Row("TX-DTP-GJ-03", 12),
            Row("TX-DTP-DT-01", 10),
            Row("TX-DTP-GJ-01", -5),
            Row("TX-DTP-GJ-02", "many"),
            Row("TX-DTP-GJ", 10),
        ]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(6, errors.EnumerateObject().Count());
        foreach (var line in new[] { "row 3", "row 4", "row 5", "row 6", "row 7", "row 8" })
        {
            Assert.True(errors.TryGetProperty(line, out _), line);
        }
        Assert.Equal(before, await HouseholdsAsync("TX-DTP-GJ-03"));
    }

    [Fact]
    public async Task ImportHouseholds_WhenFileIsNotASheet_Returns400NamingFile()
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent("not a spreadsheet"u8.ToArray()), "file", "x.xlsx" } };

        var response = await app.VillageAdminGj.Client.PostAsync("/api/org/households/import", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
    }
}
