using System.Net;
using System.Net.Http.Json;
using Association.Api.Campaigns;
using Association.Tests.Certificates;
using Association.Tests.Infrastructure;
using SkiaSharp;

namespace Association.Tests.Campaigns;

public sealed class CampaignsApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Village = "TX-DTP-GJ", Grid = "TX-DTP-GJ-01", OtherGrid = "TX-DTP-GJ-02";

    private static string Squeezed(string text) => text.Replace(" ", "").Replace("\n", "");

    [Fact]
    public async Task Campaign_WhenAGridAndTheAssociationGoThroughTheWholeCycle_PlaquesAreIssuedFromEvidenceTheSystemFilledIn()
    {
        var year = app.Clock.Today.Year;
        var cycle = await CampaignCycle.StartAsync(app, year);
        var district = await app.DistrictAdminAsync();
        var subDistrict = await app.SubDistrictAdminAsync();
        var village = await app.VillageAdminAsync(Village);
        var leader = await app.GridLeaderAsync(Grid);
        await cycle.SetQuotaAsync(CampaignCategory.Grid, 1);
        await cycle.SetQuotaAsync(CampaignCategory.Association, 1);
        var (_, member) = await app.NewMemberAsync(Grid, "钱巡防");
        await app.ConfirmedPatrolAsync(member.Id, leader.UserId, app.Clock.Now.AddSeconds(-2), hours: 1);
        await app.PublishedPublicityAsync(member.Id, leader.UserId, app.Clock.Today);

        // Nomination: two grids for one award, the association by the sub-district.
        var grid = await cycle.NominateAsync(village, CampaignCategory.Grid, await app.UnitAsync(Grid));
        var belowTwice = await cycle.SendListAsync(subDistrict, CampaignCategory.Grid);
        var other = await cycle.NominateAsync(village, CampaignCategory.Grid, await app.UnitAsync(OtherGrid));
        var association = await cycle.NominateAsync(subDistrict, CampaignCategory.Association, await app.UnitAsync(DemoApp.SubDistrict));
        var byVillage = await cycle.SendListAsync(village, CampaignCategory.Grid);
        var byDistrict = await cycle.SendListAsync(district, CampaignCategory.Grid);
        Assert.Equal(HttpStatusCode.OK, (await cycle.SendListAsync(subDistrict, CampaignCategory.Grid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cycle.SendListAsync(subDistrict, CampaignCategory.Association)).StatusCode);
        var lateApplication = await cycle.ApplyAsync(village, CampaignCategory.Grid, await app.UnitAsync("TX-DTP-GJ-03"));

        // Guidance, seen by the applicant with its photo.
        await cycle.MoveToAsync(CampaignPhase.Guidance);
        var guidancePhoto = await subDistrict.UploadPhotoAsync();
        var guided = await CampaignCycle.OkAsync(await subDistrict.Client.PostAsJsonAsync($"/api/campaign-applications/{grid.Id}/guidance",
            new NewGuidanceRequest(GuidanceKind.SiteVisit, app.Clock.Today, "街道平安办", "网格巡防台账现场查看", "台账齐全，建议补充照片", [guidancePhoto])));
        var associationGuided = await CampaignCycle.OkAsync(await district.Client.PostAsJsonAsync(
            $"/api/campaign-applications/{association.Id}/guidance",
            new NewGuidanceRequest(GuidanceKind.StudyTour, app.Clock.Today, "区平安办", "参观学习兄弟街道协会", null, null)));
        var photoForApplicant = await village.Client.GetAsync($"/api/photos/{guidancePhoto}");
        var photoForOtherVillage = await (await app.GridLeaderAsync("TX-DTP-XL-01")).Client.GetAsync($"/api/photos/{guidancePhoto}");

        // Acceptance: the review form with the system's evidence, sent, then accepted by the sub-district.
        await cycle.MoveToAsync(CampaignPhase.Acceptance);
        var reviewPhoto = await village.UploadPhotoAsync();
        var standards = cycle.Campaign.Categories.Single(c => c.Category == CampaignCategory.Grid).Standards;
        var saved = await CampaignCycle.OkAsync(await village.Client.PutAsJsonAsync($"/api/campaign-applications/{grid.Id}/review",
            new ReviewRequest("全年开展巡防、宣传和纠纷调处，网格治安平稳。", "同意申请验收。",
                [new ReviewItemInput(standards[0].Id, "红袖章会员持续发展。", [reviewPhoto]), new ReviewItemInput(standards[6].Id, "巡防记录完整。", null)])));
        var sent = await CampaignCycle.OkAsync(await village.Client.PostAsync($"/api/campaign-applications/{grid.Id}/review/send", null));
        await app.ConfirmedPatrolAsync(member.Id, leader.UserId, app.Clock.Now.AddSeconds(-1), hours: 1);
        var editedAfterSending = await village.Client.PutAsJsonAsync($"/api/campaign-applications/{grid.Id}/review",
            new ReviewRequest("改写后的平安创建开展情况。", "同意。", null));
        var acceptedBySomeoneElse = await village.Client.PostAsJsonAsync($"/api/campaign-applications/{grid.Id}/acceptance",
            new AcceptanceRequest(true, "同意。"));
        var accepted = await CampaignCycle.OkAsync(await subDistrict.Client.PostAsJsonAsync($"/api/campaign-applications/{grid.Id}/acceptance",
            new AcceptanceRequest(true, "经初步验收，符合平安网格创建标准。")));
        foreach (var (application, by) in new[] { (other, village), (association, subDistrict) })
        {
            await CampaignCycle.OkAsync(await by.Client.PutAsJsonAsync($"/api/campaign-applications/{application.Id}/review",
                new ReviewRequest("按计划开展平安创建各项工作。", "同意申请验收。", null)));
            await CampaignCycle.OkAsync(await by.Client.PostAsync($"/api/campaign-applications/{application.Id}/review/send", null));
            await CampaignCycle.OkAsync(await subDistrict.Client.PostAsJsonAsync($"/api/campaign-applications/{application.Id}/acceptance",
                new AcceptanceRequest(true, "初步验收通过。")));
        }

        // The joint review: within the quota, by the district only, then published.
        await cycle.MoveToAsync(CampaignPhase.JointReview);
        var bySubDistrict = await subDistrict.Client.PostAsJsonAsync($"/api/campaign-applications/{grid.Id}/decision", new DecisionRequest(true, null));
        var board = await district.Client.GetFromJsonAsync<JointReviewView>($"/api/campaigns/{cycle.Id}/joint-review");
        await CampaignCycle.OkAsync(await district.Client.PostAsJsonAsync($"/api/campaign-applications/{grid.Id}/decision",
            new DecisionRequest(true, "创建成效明显")));
        var overQuota = await district.Client.PostAsJsonAsync($"/api/campaign-applications/{other.Id}/decision", new DecisionRequest(true, null));
        var publishedEarly = await district.Client.PostAsync($"/api/campaigns/{cycle.Id}/results/publish", null);
        await CampaignCycle.OkAsync(await district.Client.PostAsJsonAsync($"/api/campaign-applications/{other.Id}/decision",
            new DecisionRequest(false, "名额已满，综合排名靠后")));
        await CampaignCycle.OkAsync(await district.Client.PostAsJsonAsync($"/api/campaign-applications/{association.Id}/decision",
            new DecisionRequest(true, null)));
        var plaqueBeforePublishing = await village.Client.GetAsync($"/api/campaign-applications/{grid.Id}/plaque.pdf");
        var published = await district.Client.PostAsync($"/api/campaigns/{cycle.Id}/results/publish", null);
        var awarded = await village.Client.GetFromJsonAsync<NominationView>($"/api/campaign-applications/{grid.Id}");

        Assert.Equal("campaigns.list.belowTwiceQuota", (await belowTwice.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("campaigns.campaign.notFound", (await byVillage.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("campaigns.list.notSubDistrictAdmin", (await byDistrict.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal("campaigns.list.sent", (await lateApplication.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(NominationStatus.Nominated, guided.Status);
        Assert.Single(guided.Guidance);
        Assert.Equal(GuidanceKind.StudyTour, Assert.Single(associationGuided.Guidance).Kind);
        Assert.Equal(HttpStatusCode.OK, photoForApplicant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, photoForOtherVillage.StatusCode);

        var evidence = saved.Review!.Evidence;
        var coverage = evidence.Single(e => e.Number == 1);
        Assert.Equal((233 * 200 + 999) / 1000, coverage.Target);
        Assert.False(coverage.Met);
        Assert.Contains("住户 233 户", coverage.Text);
        Assert.True(evidence.Single(e => e.Number == 7).Value >= 1);
        Assert.True(evidence.Single(e => e.Number == 8).Value >= 1);
        Assert.Equal([reviewPhoto], saved.Review.Items.Single(i => i.StandardId == standards[0].Id).PhotoIds);
        Assert.Equal(NominationStatus.AcceptanceRequested, sent.Status);
        var patrolsWhenSent = sent.Review!.Evidence.Single(e => e.Number == 7).Value;
        Assert.Equal(patrolsWhenSent, accepted.Review!.Evidence.Single(e => e.Number == 7).Value);
        Assert.Equal("campaigns.review.sent", (await editedAfterSending.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("campaigns.acceptance.notSubDistrict", (await acceptedBySomeoneElse.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal(NominationStatus.Accepted, accepted.Status);

        Assert.Equal("campaigns.decision.notDistrict", (await bySubDistrict.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal(3, board!.Undecided);
        Assert.Equal(1, board.Groups.Single(g => g.Category == CampaignCategory.Grid).Quota);
        Assert.Equal("campaigns.decision.overQuota", (await overQuota.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("campaigns.results.undecided", (await publishedEarly.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("campaigns.plaque.notAwarded", (await plaqueBeforePublishing.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(NominationStatus.Awarded, awarded!.Status);
        Assert.Equal(
            [NominationStatus.Draft, NominationStatus.Submitted, NominationStatus.Nominated, NominationStatus.AcceptanceRequested, NominationStatus.Accepted,
             NominationStatus.Awarded],
            awarded.History.Select(h => h.To));
        Assert.Equal("经初步验收，符合平安网格创建标准。", awarded.History.Single(h => h.To == NominationStatus.Accepted).Opinion);
        Assert.All(awarded.History, h => Assert.True(h.ByUserId > 0));

        // The papers: forms for stamping, the plaque for the awarded grid only.
        var form = PdfContent.Text(await (await village.Client.GetAsync($"/api/campaign-applications/{grid.Id}/application-form.pdf")).Content
            .ReadAsByteArrayAsync());
        Assert.Contains($"天心区{year}年“十大平安”创建申报表", form);
        foreach (var field in new[] { "申报单位", "（盖章）", "申报内容", "平安创建", "活动计划", "牵头单位", "意见", grid.SubjectName, "每周开展两次红袖章巡防", "同意推荐申报。" })
        {
            Assert.Contains(field, form);
        }
        var reviewForm = PdfContent.Text(await (await village.Client.GetAsync($"/api/campaign-applications/{grid.Id}/review-form.pdf")).Content
            .ReadAsByteArrayAsync());
        foreach (var field in new[] { $"天心区{year}年“十大平安”创建审核表", "开展情况", "及成果", "审核单位", "经初步验收，符合平安网格创建标准。", "初步验收：通过",
                     "系统记录：红袖章会员", "住户 233 户", "红袖章会员持续发展。", "（附照片1张）", "现场查看" })
        {
            Assert.Contains(Squeezed(field), Squeezed(reviewForm));
        }
        var plaque = PdfContent.Text(await (await village.Client.GetAsync($"/api/campaign-applications/{grid.Id}/plaque.pdf")).Content.ReadAsByteArrayAsync());
        var month = awarded.History.Last().At.AddHours(8);
        foreach (var field in new[] { "“十大平安”创建", grid.SubjectName, $"被评为{ChineseDigits(year)}年度", "平安网格", "长沙市天心区平安建设领导小组", $"{month.Year}年{month.Month}月" })
        {
            Assert.Contains(Squeezed(field), Squeezed(plaque));
        }
        var png = await subDistrict.Client.GetAsync($"/api/campaign-applications/{association.Id}/plaque.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        using var image = SKBitmap.Decode(await png.Content.ReadAsByteArrayAsync());
        Assert.True(image.Width > image.Height && image.Width >= 1600);
        var notAwarded = await village.Client.GetAsync($"/api/campaign-applications/{other.Id}/plaque.png");
        Assert.Equal("campaigns.plaque.notAwarded", (await notAwarded.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    private static string ChineseDigits(int year) => string.Concat(year.ToString().Select(d => "〇一二三四五六七八九"[d - '0']));
}
