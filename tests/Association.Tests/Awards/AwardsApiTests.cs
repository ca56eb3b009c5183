using System.Net;
using System.Net.Http.Json;
using Association.Api.Awards;
using Association.Api.Members;
using Association.Api.Points;
using Association.Api.Rankings;
using Association.Tests.Infrastructure;
using MiniExcelLibs;

namespace Association.Tests.Awards;

public sealed class AwardsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn SubDistrictAdmin { get; set; } = null!;
    private SignedIn VillageAdminGj { get; set; } = null!;
    private SignedIn LeaderGj01 { get; set; } = null!;
    private Dictionary<string, MemberView> Members { get; set; } = [];

    public async Task InitializeAsync()
    {
        SubDistrictAdmin = await app.SubDistrictAdminAsync();
        VillageAdminGj = await app.VillageAdminAsync("TX-DTP-GJ");
        LeaderGj01 = await app.GridLeaderAsync("TX-DTP-GJ-01");
        Members = await app.OnceAsync("members with points", ArrangeMembersAsync);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Dictionary<string, MemberView>> ArrangeMembersAsync()
    {
        var members = new Dictionary<string, MemberView>();
        foreach (var (name, points) in new[] { ("a", 50), ("b", 40), ("c", 40), ("d", 10), ("e", 60) })
        {
            var (_, member) = await app.NewMemberAsync("TX-DTP-GJ-01", name: "会员" + name);
            members[name] = member;
            (await SubDistrictAdmin.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, points, "年度积分"))).EnsureSuccessStatusCode();
        }
        // e has the most points but was suspended this year, which rules them out.
        (await VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{members["e"].Id}/suspend", new ReasonRequest("违反纪律"))).EnsureSuccessStatusCode();
        (await VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{members["e"].Id}/reinstate", new ReasonRequest("整改完成"))).EnsureSuccessStatusCode();
        return members;
    }

    private int Year => app.Clock.Today.Year;

    private async Task SetRuleAsync(AwardMode mode, int value, int minimum = 20) =>
        (await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/awards/rules/{await app.UnitIdAsync("TX-DTP")}/{Year}",
            new AwardRuleRequest(RankingScope.Grid, mode, value, minimum))).EnsureSuccessStatusCode();

    private async Task<List<AwardCandidate>> CandidatesAsync(SignedIn who) =>
        (await who.Client.GetFromJsonAsync<List<AwardCandidate>>($"/api/awards/{Year}/candidates"))!;

    [Theory]
    [InlineData(AwardMode.TopN, 2)]
    [InlineData(AwardMode.TopPercent, 50)]
    public async Task ListAwardCandidates_WhenCriteriaSet_KeepsTheBestWithTiesAndSkipsTheSuspended(AwardMode mode, int value)
    {
        await SetRuleAsync(mode, value);

        var candidates = await CandidatesAsync(VillageAdminGj);

        Assert.Equal(["a", "b", "c"], candidates.Select(c => Members.Single(m => m.Value.Id == c.MemberId).Key));
        Assert.Equal([1, 2, 2], candidates.Select(c => c.Rank));
    }

    [Fact]
    public async Task ConfirmAwards_WhenVillageAdminConfirms_MarksThemAndExportsTheList()
    {
        await SetRuleAsync(AwardMode.TopN, 2);

        var confirmed = await VillageAdminGj.Client.PostAsJsonAsync($"/api/awards/{Year}/confirm", new ConfirmAwardsRequest([Members["a"].Id, Members["b"].Id]));
        var notCandidate = await VillageAdminGj.Client.PostAsJsonAsync($"/api/awards/{Year}/confirm", new ConfirmAwardsRequest([Members["d"].Id]));
        var byLeader = await LeaderGj01.Client.PostAsJsonAsync($"/api/awards/{Year}/confirm", new ConfirmAwardsRequest([Members["c"].Id]));
        var export = await VillageAdminGj.Client.GetAsync($"/api/awards/{Year}/export");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        await notCandidate.AssertProblemAsync(HttpStatusCode.BadRequest);
        await byLeader.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([true, true, false], (await CandidatesAsync(VillageAdminGj)).Select(c => c.Confirmed));
        await using var sheet = new MemoryStream(await export.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal([Members["a"].MemberNumber, Members["b"].MemberNumber], rows.Select(r => (string)r["会员编号"]));
        ProblemAssertions.AssertNoEnglishIn(rows);
    }

    [Fact]
    public async Task GetAwardRules_WhenTheSubDistrictSetThem_AnyoneSignedInReadsTheYearsCriteria()
    {
        var subDistrict = await app.UnitIdAsync("TX-DTP");
        var resident = await app.SignInAsync("award-reader-" + Guid.NewGuid().ToString("N")[..6]);
        var year = Year + 1;
        (await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/awards/rules/{subDistrict}/{year}", new AwardRuleRequest(RankingScope.Village, AwardMode.TopPercent, 10, 50)))
            .EnsureSuccessStatusCode();

        var rules = (await resident.Client.GetFromJsonAsync<List<AwardRule>>($"/api/awards/rules/{subDistrict}/{year}"))!;
        var noneYet = (await resident.Client.GetFromJsonAsync<List<AwardRule>>($"/api/awards/rules/{subDistrict}/{year + 1}"))!;
        var notASubDistrict = await resident.Client.GetAsync($"/api/awards/rules/987654321/{year}");
        var badYear = await resident.Client.GetAsync($"/api/awards/rules/{subDistrict}/1999");

        Assert.Equal(new AwardRule(year, RankingScope.Village, AwardMode.TopPercent, 10, 50), Assert.Single(rules));
        Assert.Empty(noneYet);
        await notASubDistrict.AssertProblemAsync(HttpStatusCode.NotFound);
        (await badYear.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("year", "validation.year");
    }

    [Fact]
    public async Task SetAwardRule_WhenNotSubDistrictAdminOrOutOfRange_IsRefused()
    {
        var subDistrict = await app.UnitIdAsync("TX-DTP");

        var byVillage = await VillageAdminGj.Client.PutAsJsonAsync($"/api/awards/rules/{subDistrict}/{Year}", new AwardRuleRequest(RankingScope.Grid, AwardMode.TopN, 3, 0));
        var tooMany = await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/awards/rules/{subDistrict}/{Year}", new AwardRuleRequest(RankingScope.Grid, AwardMode.TopPercent, 150, 0));
        var bySubDistrict = await SubDistrictAdmin.Client.PutAsJsonAsync($"/api/awards/rules/{subDistrict}/{Year}", new AwardRuleRequest(RankingScope.SubDistrict, AwardMode.TopN, 3, 0));

        // The sub-district is above the village admin: answered as a missing one.
        await byVillage.AssertProblemAsync(HttpStatusCode.NotFound);
        await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest);
        await bySubDistrict.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
