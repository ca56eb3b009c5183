using System.Net.Http.Json;
using Association.Api.Campaigns;
using Association.Api.Demo;
using Association.Api.Events;
using Association.Api.Notifications;
using Association.Api.Plans;
using Association.Api.Points;
using Association.Api.Rewards;
using Association.Api.Todos;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Demo;

public sealed class RichDemoTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task SeedRich_WhenRunTwice_LoadsOneLivingAssociationWhoseLeaderHasToDosAndMembersAnInbox()
    {
        var leader = await app.SignInAsync("demo-leader");
        var demo = app.Services.GetRequiredService<RichDemo>();

        var first = await demo.SeedAsync(leader.OpenId, null, default);
        var second = await demo.SeedAsync(leader.OpenId, null, default);

        Assert.True(first);
        Assert.False(second);
        leader = await app.SignInAsync("demo-leader");
        var todos = (await leader.Client.GetFromJsonAsync<Api.Todos.Todos>("/api/todos"))!;
        Assert.Contains(todos.Groups, g => g.Kind == TodoKind.ApplicationsToDecide && g.Count > 0);
        Assert.Contains(todos.Groups, g => g.Kind == TodoKind.PatrolsToConfirm && g.Count > 0);
        Assert.Contains(todos.Groups, g => g.Kind == TodoKind.ReportsOverdue && g.Count > 0);
        await using var connection = await app.Db.OpenConnectionAsync();
        var counts = await connection.QuerySingleAsync<(long Members, long Patrols, long Reports, long Notifications, long Runs)>("""
            SELECT (SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM patrols), (SELECT COUNT(DISTINCT status) FROM grid_reports),
                   (SELECT COUNT(*) FROM notifications), (SELECT COUNT(*) FROM ranking_quarters)
            """);
        Assert.True(counts.Members >= 16 * (RichDemo.MembersPerGrid - 1), $"{counts.Members} members");
        Assert.True(counts.Patrols > 300);
        Assert.Equal(7, counts.Reports);
        Assert.True(counts.Notifications > 300);
        Assert.True(counts.Runs >= 1);
        Assert.Empty(await PointsInvariant.CheckAsync(app.Db));
        var kinds = (await connection.QueryAsync<string>("SELECT DISTINCT kind FROM notifications")).ToHashSet();
        Assert.Superset(new HashSet<string> { nameof(NotificationKind.PatrolConfirmed), nameof(NotificationKind.PointsAwarded), nameof(NotificationKind.ReportOverdue) }, kinds);

        var district = await app.DistrictAdminAsync();
        var campaign = Assert.Single((await district.Client.GetFromJsonAsync<List<CampaignSummary>>("/api/campaigns"))!);
        Assert.Equal((CampaignDemo.YearOn(app.Clock.Today), CampaignPhase.Acceptance), (campaign.Year, campaign.Phase));
        var applications = (await district.Client.GetFromJsonAsync<List<NominationSummary>>($"/api/campaign-applications?campaignId={campaign.Id}"))!;
        Assert.Equal(7, applications.Count);
        Assert.All(applications, a => Assert.Equal(NominationStatus.Nominated, a.Status));
        Assert.Equal(CampaignCategory.Grid, applications[0].Category);
        var grid = (await district.Client.GetFromJsonAsync<NominationView>($"/api/campaign-applications/{applications[0].Id}"))!;
        Assert.NotNull(grid.Review?.Progress);
        Assert.Contains(grid.Review!.Evidence, e => e.Number == 7 && e.Value > 0);
        Assert.Single(grid.Guidance);
        var form = await district.Client.GetAsync($"/api/campaign-applications/{grid.Id}/review-form.pdf");
        Assert.Equal("application/pdf", form.Content.Headers.ContentType!.MediaType);

        var office = await app.SubDistrictAdminAsync();
        var subDistrictId = await app.UnitAsync(DemoApp.SubDistrict);
        var events = (await office.Client.GetFromJsonAsync<List<EventView>>($"/api/events?unitId={subDistrictId}"))!;
        var underWay = Assert.Single(events, e => e.StartsAt <= app.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal((EventKind.Patrol, 12), (underWay.Kind, underWay.SignedUp));
        Assert.Equal(12, (await office.Client.GetFromJsonAsync<List<SignupView>>($"/api/events/{underWay.Id}/signups"))!.Count);
        Assert.NotNull(await office.Client.GetFromJsonAsync<CheckInCode>($"/api/events/{underWay.Id}/check-in-code"));
        var plan = Assert.Single((await office.Client.GetFromJsonAsync<List<WorkPlanView>>($"/api/plans?unitId={subDistrictId}"))!);
        Assert.Equal((WorkPlanStatus.Published, 3, underWay.PlanItemId), (plan.Status, plan.Items.Count, plan.Items[0].Id));
        Assert.Equal(3, (await office.Client.GetFromJsonAsync<List<RewardItem>>("/api/rewards"))!.Count);
        var redemptions = (await office.Client.GetFromJsonAsync<List<RedemptionView>>("/api/redemptions"))!;
        Assert.Equal((4, 3), (redemptions.Count, redemptions.Count(r => r.Status == RedemptionStatus.Pending)));
    }
}
