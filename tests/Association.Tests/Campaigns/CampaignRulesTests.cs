using System.Net;
using System.Net.Http.Json;
using System.Text;
using Association.Api.Campaigns;
using Association.Tests.Certificates;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Campaigns;

/// <summary>What the campaign refuses: applications out of phase, twice or out of scope, short lists, bad settings; and how subjects are kept.</summary>
public sealed class CampaignRulesTests(DemoApp app) : IClassFixture<DemoApp>
{
    private int Year(int offset) => app.Clock.Today.Year + offset;

    private async Task<long> ApplicationsOfAsync(long campaignId)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM campaign_applications WHERE campaign_id = @campaignId", new { campaignId });
    }

    [Fact]
    public async Task Apply_WhenOutsideTheNominationPhaseTwiceOrOutOfScope_IsRefusedAndNothingIsWritten()
    {
        var cycle = await CampaignCycle.StartAsync(app, Year(11), CampaignPhase.Mobilisation);
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var grid = await app.UnitAsync("TX-DTP-GJ-01");

        var tooEarly = await cycle.ApplyAsync(village, CampaignCategory.Grid, grid);
        await cycle.MoveToAsync(CampaignPhase.Nomination);
        var first = await cycle.ApplyAsync(village, CampaignCategory.Grid, grid);
        var twice = await cycle.ApplyAsync(village, CampaignCategory.Grid, grid);
        var otherVillage = await cycle.ApplyAsync(village, CampaignCategory.Grid, await app.UnitAsync("TX-DTP-XL-01"));
        var villageAsGrid = await cycle.ApplyAsync(village, CampaignCategory.Grid, await app.UnitAsync("TX-DTP-GJ"));
        var byGridLeader = await cycle.ApplyAsync(await app.GridLeaderAsync("TX-DTP-GJ-01"), CampaignCategory.Grid, grid);
        var byResident = await cycle.ApplyAsync(await app.ResidentAsync(), CampaignCategory.Grid, grid);
        var draft = (await first.Content.ReadFromJsonAsync<NominationView>())!;
        var withdrawn = await CampaignCycle.OkAsync(await village.Client.PostAsJsonAsync($"/api/campaign-applications/{draft.Id}/withdraw",
            new OpinionRequest("材料需要补充")));
        var again = await cycle.ApplyAsync(village, CampaignCategory.Grid, grid);
        var subDistrict = await app.SubDistrictAdminAsync();
        var withoutOpinion = (await (await cycle.ApplyAsync(subDistrict, CampaignCategory.Village, await app.UnitAsync("TX-DTP-GJ"), leadOpinion: null))
            .Content.ReadFromJsonAsync<NominationView>())!;
        var submitWithoutOpinion = await subDistrict.Client.PostAsync($"/api/campaign-applications/{withoutOpinion.Id}/submit", null);
        var villageForItself = await cycle.ApplyAsync(village, CampaignCategory.Village, await app.UnitAsync("TX-DTP-GJ"));

        Assert.Equal("campaigns.phase.closed", (await tooEarly.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var refusedTwice = await twice.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("campaigns.application.exists", refusedTwice.Code());
        Assert.Contains("平安网格", refusedTwice.GetProperty("detail").GetString());
        Assert.Equal("campaigns.subject.notFound", (await otherVillage.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        (await villageAsGrid.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("subjectUnitId", "campaigns.subject.wrongUnit");
        Assert.Equal(HttpStatusCode.NotFound, byGridLeader.StatusCode);
        Assert.Equal("campaigns.campaign.notFound", (await byResident.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal(NominationStatus.Draft, withoutOpinion.Status);
        Assert.Equal("大托铺街道", withoutOpinion.LeadUnitName);
        Assert.Equal(HttpStatusCode.NotFound, villageForItself.StatusCode);
        Assert.Equal(NominationStatus.Withdrawn, withdrawn.Status);
        Assert.Equal("材料需要补充", withdrawn.History.Last().Opinion);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        (await submitWithoutOpinion.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("leadOpinion", "campaigns.application.leadOpinion");
        Assert.Equal(3, await ApplicationsOfAsync(cycle.Id));
    }

    [Fact]
    public async Task SendList_WhenBelowTwiceTheQuota_IsRefusedWithTheRuleAndTheFigures()
    {
        var cycle = await CampaignCycle.StartAsync(app, Year(12));
        await cycle.SetQuotaAsync(CampaignCategory.Grid, 2);
        var village = await app.VillageAdminAsync("TX-DTP-DT");
        var subDistrict = await app.SubDistrictAdminAsync();
        var grids = new List<NominationView>();
        foreach (var code in new[] { "TX-DTP-DT-01", "TX-DTP-DT-02", "TX-DTP-DT-03" })
        {
            grids.Add(await cycle.NominateAsync(village, CampaignCategory.Grid, await app.UnitAsync(code)));
        }
        var noQuota = await cycle.SendListAsync(subDistrict, CampaignCategory.Campus);

        var threeOfFour = await cycle.SendListAsync(subDistrict, CampaignCategory.Grid);
        var list = await subDistrict.Client.GetFromJsonAsync<SubDistrictListView>(
            $"/api/campaigns/{cycle.Id}/lists/{await app.UnitAsync(DemoApp.SubDistrict)}");
        grids.Add(await cycle.NominateAsync(village, CampaignCategory.Grid, await app.UnitAsync("TX-DTP-DT-04")));
        var four = await cycle.SendListAsync(subDistrict, CampaignCategory.Grid);
        var sentTwice = await cycle.SendListAsync(subDistrict, CampaignCategory.Grid);
        var afterSending = await cycle.ApplyAsync(await app.VillageAdminAsync("TX-DTP-HH"), CampaignCategory.Grid, await app.UnitAsync("TX-DTP-HH-01"));
        var withdrawAfterSending = await village.Client.PostAsJsonAsync($"/api/campaign-applications/{grids[0].Id}/withdraw", new OpinionRequest("撤回申报"));

        Assert.Equal("campaigns.list.noQuota", (await noQuota.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        var refused = await threeOfFour.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("campaigns.list.belowTwiceQuota", refused.Code());
        Assert.Equal("平安网格的表彰名额为 2 个，推荐名单至少需要 4 个，目前已提交 3 个", refused.GetProperty("detail").GetString());
        Assert.Contains("2倍", list!.Rule);
        var grid = list.Categories.Single(c => c.Category == CampaignCategory.Grid);
        Assert.Equal((2, 4, 3, null), (grid.Quota, grid.Required, grid.Submitted, grid.SentAt));
        Assert.Equal(HttpStatusCode.OK, four.StatusCode);
        var sent = (await four.Content.ReadFromJsonAsync<SubDistrictListView>())!.Categories.Single(c => c.Category == CampaignCategory.Grid);
        Assert.Equal(4, sent.Nominated);
        Assert.NotNull(sent.SentAt);
        Assert.Equal("campaigns.list.sent", (await sentTwice.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("campaigns.list.sent", (await afterSending.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("campaigns.application.status", (await withdrawAfterSending.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        foreach (var application in grids)
        {
            var now = await village.Client.GetFromJsonAsync<NominationView>($"/api/campaign-applications/{application.Id}");
            Assert.Equal(NominationStatus.Nominated, now!.Status);
        }
    }

    [Fact]
    public async Task Campaign_WhenSetUpByOthersOrWithBadSettings_IsRefusedWithTheFieldNamed()
    {
        var district = await app.DistrictAdminAsync();
        var districtId = await app.UnitAsync(DemoApp.District);
        var today = app.Clock.Today;
        var phases = CampaignCycle.PhasesFor(today, CampaignPhase.Nomination);

        var bySubDistrict = await (await app.SubDistrictAdminAsync()).Client.PostAsJsonAsync("/api/campaigns",
            new NewCampaignRequest(districtId, Year(13), null, phases));
        var ofSubDistrict = await district.Client.PostAsJsonAsync("/api/campaigns",
            new NewCampaignRequest(await app.UnitAsync(DemoApp.SubDistrict), Year(13), null, phases));
        var backwards = await district.Client.PostAsJsonAsync("/api/campaigns",
            new NewCampaignRequest(districtId, Year(13), null, phases with { GuideOn = phases.NominateOn }));
        var created = await district.Client.PostAsJsonAsync("/api/campaigns", new NewCampaignRequest(districtId, Year(13), null, null));
        var twice = await district.Client.PostAsJsonAsync("/api/campaigns", new NewCampaignRequest(districtId, Year(13), null, null));
        var campaign = (await created.Content.ReadFromJsonAsync<CampaignView>())!;
        var villageQuota = await district.Client.PutAsJsonAsync($"/api/campaigns/{campaign.Id}/quotas",
            new QuotasRequest([new QuotaSetting(await app.UnitAsync("TX-DTP-GJ"), CampaignCategory.Grid, 2)]));
        var unknownCategory = await district.Client.PutAsync($"/api/campaigns/{campaign.Id}/quotas", new StringContent(
            $$"""{"items":[{"subDistrictId":{{await app.UnitAsync(DemoApp.SubDistrict)}},"category":"Moon","quota":1}]}""", Encoding.UTF8, "application/json"));
        var quotaBySubDistrict = await (await app.SubDistrictAdminAsync()).Client.PutAsJsonAsync($"/api/campaigns/{campaign.Id}/quotas",
            new QuotasRequest([new QuotaSetting(await app.UnitAsync(DemoApp.SubDistrict), CampaignCategory.Grid, 9)]));
        var forResident = await (await app.ResidentAsync()).Client.GetAsync($"/api/campaigns/{campaign.Id}");

        Assert.Equal("org.unit.notFound", (await bySubDistrict.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        (await ofSubDistrict.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("districtId", "campaigns.district.notDistrict");
        (await backwards.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("phases.guideOn", "campaigns.phases.order");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(new DateOnly(Year(13), 5, 1), campaign.Phases.NominateOn);
        Assert.Equal("天心区平安建设领导小组", campaign.IssuingBody);
        Assert.Equal("campaigns.campaign.exists", (await twice.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        (await villageQuota.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("items[0].subDistrictId", "campaigns.quota.notSubDistrict");
        Assert.Equal(HttpStatusCode.BadRequest, unknownCategory.StatusCode);
        Assert.Equal("campaigns.notDistrictAdmin", (await quotaBySubDistrict.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal(HttpStatusCode.NotFound, forResident.StatusCode);
    }

    [Fact]
    public async Task Standards_WhenACampaignStarts_AreThePlansWordForWordAndANewYearStartsFromTheLastOnesEdits()
    {
        var district = await app.DistrictAdminAsync();
        var first = await CampaignCycle.StartAsync(app, Year(14));
        var standards = first.Campaign.Categories.ToDictionary(c => c.Category, c => c.Standards);
        var locked = await district.Client.PutAsJsonAsync($"/api/campaigns/{first.Id}/standards/Grid",
            new StandardsRequest(["网格内无刑事案件发生。"]));
        var next = await district.Client.PostAsJsonAsync("/api/campaigns", new NewCampaignRequest(await app.UnitAsync(DemoApp.District), Year(15), null, null));
        var nextYear = (await next.Content.ReadFromJsonAsync<CampaignView>())!;
        var edited = await district.Client.PutAsJsonAsync($"/api/campaigns/{nextYear.Id}/standards/Grid",
            new StandardsRequest(["网格内无刑事案件发生。", "红袖章会员数占住户数25%。"]));
        var bySubDistrict = await (await app.SubDistrictAdminAsync()).Client.PutAsJsonAsync($"/api/campaigns/{nextYear.Id}/standards/Grid",
            new StandardsRequest(["网格内无刑事案件发生。"]));
        var unknown = await district.Client.PutAsJsonAsync($"/api/campaigns/{nextYear.Id}/standards/Moon", new StandardsRequest(["网格内无刑事案件发生。"]));
        var later = await district.Client.PostAsJsonAsync("/api/campaigns", new NewCampaignRequest(await app.UnitAsync(DemoApp.District), Year(16), null, null));
        var firstAgain = await district.Client.GetFromJsonAsync<CampaignView>($"/api/campaigns/{first.Id}");

        Assert.Equal([2, 8, 7, 9, 10, 7, 6, 7, 7, 4], Enum.GetValues<CampaignCategory>().Select(c => standards[c].Count));
        Assert.Equal("网格创建组织健全，各类职责制度完善，红袖章会员数占住户数20%。有活动整体规划和年度实施方案。", standards[CampaignCategory.Grid][0].Text);
        Assert.StartsWith("做好平安宣传报道，积极向 “平安天心V”微信公众号", standards[CampaignCategory.Association][3].Text);
        Assert.Equal(Enumerable.Range(1, 8), standards[CampaignCategory.Grid].Select(s => s.Number));
        Assert.Equal("campaigns.standards.locked", (await locked.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySubDistrict.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var laterGrid = (await later.Content.ReadFromJsonAsync<CampaignView>())!.Categories.Single(c => c.Category == CampaignCategory.Grid).Standards;
        Assert.Equal(["网格内无刑事案件发生。", "红袖章会员数占住户数25%。"], laterGrid.Select(s => s.Text));
        Assert.Equal(8, firstAgain!.Categories.Single(c => c.Category == CampaignCategory.Grid).Standards.Count);
    }

    [Fact]
    public async Task Household_WhenRegisteredAndNominated_IsMaskedEverywhereAndStoredEncrypted()
    {
        var cycle = await CampaignCycle.StartAsync(app, Year(17));
        var village = await app.VillageAdminAsync("TX-DTP-HH");
        var grid = await app.UnitAsync("TX-DTP-HH-02");
        var registered = await village.Client.PostAsJsonAsync("/api/campaign-subjects",
            new NewSubjectRequest(grid, SubjectKind.Household, null, "大托铺街道黄合村三组18号", "张建国", "13912345678"));
        var atVillage = await village.Client.PostAsJsonAsync("/api/campaign-subjects",
            new NewSubjectRequest(await app.UnitAsync("TX-DTP-HH"), SubjectKind.Household, null, "大托铺街道黄合村三组19号", "李红", "13912345679"));
        var school = await village.Client.PostAsJsonAsync("/api/campaign-subjects",
            new NewSubjectRequest(await app.UnitAsync("TX-DTP-HH"), SubjectKind.Campus, "黄合小学", "大托铺街道黄合村学校路1号", "王校长", "13912345670"));
        var household = (await registered.Content.ReadFromJsonAsync<SubjectView>())!;
        var schoolView = (await school.Content.ReadFromJsonAsync<SubjectView>())!;
        var asGrid = await cycle.ApplyAsync(village, CampaignCategory.Campus, subjectId: household.Id);
        var nominated = await cycle.NominateAsync(village, CampaignCategory.Family, subjectId: household.Id);
        var campus = await cycle.NominateAsync(village, CampaignCategory.Campus, subjectId: schoolView.Id);
        var fromOtherVillage = await (await app.VillageAdminAsync("TX-DTP-XL")).Client.GetAsync($"/api/campaign-subjects/{household.Id}");
        var listed = await village.Client.GetFromJsonAsync<List<SubjectView>>($"/api/campaign-subjects?unitId={grid}");
        var form = PdfContent.Text(await village.Client.GetByteArrayAsync($"/api/campaign-applications/{nominated.Id}/application-form.pdf"));
        await using var connection = await app.Db.OpenConnectionAsync();
        var stored = string.Join("|", (await connection.QuerySingleAsync("SELECT * FROM campaign_subjects WHERE id = @id", new { id = household.Id }) as
            IDictionary<string, object>)!.Values.Select(v => v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : v?.ToString()));

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(("张*家", "139****5678"), (household.Name, household.PhoneMasked));
        Assert.DoesNotContain("18号", household.AddressMasked);
        (await atVillage.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("unitId", "campaigns.subject.householdGrid");
        (await asGrid.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("subjectId", "campaigns.subject.wrongKind");
        Assert.Equal("张*家", nominated.SubjectName);
        Assert.Equal("黄合小学", campus.SubjectName);
        Assert.Equal(HttpStatusCode.NotFound, fromOtherVillage.StatusCode);
        Assert.Equal([household.Id], listed!.Select(s => s.Id));
        Assert.Contains("张*家", form);
        Assert.DoesNotContain("张建国", form);
        foreach (var secret in new[] { "张建国", "13912345678", "三组18号" })
        {
            Assert.DoesNotContain(secret, stored);
        }
    }

    [Fact]
    public async Task Steps_WhenRetriedWithTheirKeyOrRacedByTwoPhones_AreTakenOnce()
    {
        var cycle = await CampaignCycle.StartAsync(app, Year(18));
        await cycle.SetQuotaAsync(CampaignCategory.Grid, 1);
        var village = await app.VillageAdminAsync("TX-DTP-XF");
        var subDistrict = await app.SubDistrictAdminAsync();
        var raced = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cycle.ApplyAsync(village, CampaignCategory.Grid, app.UnitAsync("TX-DTP-XF-01").Result)));
        var first = (await raced.Single(r => r.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<NominationView>())!;
        await CampaignCycle.OkAsync(await village.Client.PostAsync($"/api/campaign-applications/{first.Id}/submit", null));
        await cycle.NominateAsync(village, CampaignCategory.Grid, await app.UnitAsync("TX-DTP-XF-02"));
        var listUrl = $"/api/campaigns/{cycle.Id}/lists/{await app.UnitAsync(DemoApp.SubDistrict)}/Grid/send";
        var sent = await SendKeyedAsync(subDistrict, listUrl, null, "list-key");
        var sentAgain = await SendKeyedAsync(subDistrict, listUrl, null, "list-key");
        await cycle.MoveToAsync(CampaignPhase.Guidance);
        var guidance = new NewGuidanceRequest(GuidanceKind.Discussion, app.Clock.Today, "街道平安办", "交流座谈创建经验", null, null);
        var guided = await SendKeyedAsync(subDistrict, $"/api/campaign-applications/{first.Id}/guidance", guidance, "guidance-key");
        var guidedAgain = await SendKeyedAsync(subDistrict, $"/api/campaign-applications/{first.Id}/guidance", guidance, "guidance-key");
        var view = await village.Client.GetFromJsonAsync<NominationView>($"/api/campaign-applications/{first.Id}");

        Assert.Single(raced, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(raced.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await ApplicationsOfAsync(cycle.Id) - 1);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (sent.StatusCode, sentAgain.StatusCode));
        Assert.True(sentAgain.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await guided.Content.ReadAsStringAsync(), await guidedAgain.Content.ReadAsStringAsync());
        Assert.Single(view!.Guidance);
    }

    private static async Task<HttpResponseMessage> SendKeyedAsync(SignedIn by, string url, object? body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await by.Client.SendAsync(request);
    }
}
