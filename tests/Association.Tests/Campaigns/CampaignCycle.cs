using System.Net;
using System.Net.Http.Json;
using Association.Api.Campaigns;
using Association.Tests.Infrastructure;

namespace Association.Tests.Campaigns;

/// <summary>A campaign of the demo district driven through its phases by its DistrictAdmin, with dates around the test clock.</summary>
public sealed class CampaignCycle(DemoApp app, SignedIn district, CampaignView campaign)
{
    public CampaignView Campaign => campaign;

    public long Id => campaign.Id;

    public static async Task<CampaignCycle> StartAsync(DemoApp app, int year, CampaignPhase phase = CampaignPhase.Nomination)
    {
        var district = await app.DistrictAdminAsync();
        var response = await district.Client.PostAsJsonAsync("/api/campaigns",
            new NewCampaignRequest(await app.UnitAsync(DemoApp.District), year, null, PhasesFor(app.Clock.Today, phase), "长沙市天心区平安建设领导小组"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new CampaignCycle(app, district, (await response.Content.ReadFromJsonAsync<CampaignView>())!);
    }

    /// <summary>Dates that put <paramref name="today"/> in <paramref name="phase"/>, each phase a few weeks long.</summary>
    public static CampaignPhases PhasesFor(DateOnly today, CampaignPhase phase)
    {
        var step = phase switch
        {
            CampaignPhase.Mobilisation => 0,
            CampaignPhase.Nomination => 1,
            CampaignPhase.Guidance => 2,
            CampaignPhase.Acceptance => 3,
            CampaignPhase.JointReview => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(phase)),
        };
        DateOnly Day(int index) => today.AddDays((index - step) * 20);
        return new CampaignPhases(Day(0), Day(1), Day(2), Day(3), Day(4));
    }

    public async Task MoveToAsync(CampaignPhase phase)
    {
        var response = await district.Client.PutAsJsonAsync($"/api/campaigns/{Id}/phases", new CampaignPhasesRequest(PhasesFor(app.Clock.Today, phase)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(phase, (await response.Content.ReadFromJsonAsync<CampaignView>())!.Phase);
    }

    public async Task SetQuotaAsync(CampaignCategory category, int quota)
    {
        var response = await district.Client.PutAsJsonAsync($"/api/campaigns/{Id}/quotas",
            new QuotasRequest([new QuotaSetting(await app.UnitAsync(DemoApp.SubDistrict), category, quota)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<HttpResponseMessage> ApplyAsync(SignedIn by, CampaignCategory category, long? subjectUnitId = null, long? subjectId = null,
        string? leadOpinion = "同意推荐申报。") =>
        await by.Client.PostAsJsonAsync("/api/campaign-applications", new NewNominationRequest(Id, category, subjectUnitId, subjectId, null,
            "网格内治安状况良好，红袖章会员常态化巡防，矛盾纠纷就地化解。", "一、每周开展两次红袖章巡防；二、每月排查矛盾纠纷；三、每季度开展平安宣传。", leadOpinion));

    /// <summary>Drafts and submits an application; answers it as submitted.</summary>
    public async Task<NominationView> NominateAsync(SignedIn by, CampaignCategory category, long? subjectUnitId = null, long? subjectId = null)
    {
        var created = await ApplyAsync(by, category, subjectUnitId, subjectId);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<NominationView>())!;
        return await OkAsync(await by.Client.PostAsync($"/api/campaign-applications/{draft.Id}/submit", null));
    }

    public async Task<HttpResponseMessage> SendListAsync(SignedIn subDistrict, CampaignCategory category) =>
        await subDistrict.Client.PostAsync($"/api/campaigns/{Id}/lists/{await app.UnitAsync(DemoApp.SubDistrict)}/{category}/send", null);

    public static async Task<NominationView> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NominationView>())!;
    }
}
