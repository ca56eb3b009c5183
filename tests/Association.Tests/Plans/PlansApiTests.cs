using System.Net;
using System.Net.Http.Json;
using Association.Api.Events;
using Association.Api.GridReports;
using Association.Api.Notifications;
using Association.Api.Plans;
using Association.Api.Platform;
using Association.Api.Roles;
using Association.Tests.Infrastructure;

namespace Association.Tests.Plans;

public sealed class PlansApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Village = "TX-DTP-HH";
    private const string Grid = "TX-DTP-HH-01";
    private const string OtherGrid = "TX-DTP-HH-02";
    private const decimal Lat = 28.1540m;
    private const decimal Lng = 112.9900m;

    private static NewWorkPlanRequest PlanOf(long unitId, Quarter quarter, int items = 2) => new(unitId, quarter.ToString(), "平安创建季度工作安排",
        "完成巡防和宣传任务", Enumerable.Range(1, items).Select(i => new NewPlanItem($"第{i}项工作", "按网格落实", "综治专干", quarter.LastDay)).ToList());

    private static async Task<WorkPlanView> CreatePlanAsync(SignedIn by, NewWorkPlanRequest request)
    {
        var response = await by.Client.PostAsJsonAsync("/api/plans", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WorkPlanView>())!;
    }

    private NewEventRequest EventOf(long unitId, DateTimeOffset start, long? planItemId) => new(unitId, EventKind.Patrol, "季度联合巡逻", null,
        "村委会门口", Lat, Lng, 300, start, start.AddHours(1), start.AddMinutes(-1), 20, 0, EventAudience.Members, planItemId);

    [Fact]
    public async Task Plan_WhenPublishedAndReviewedAtQuarterEnd_MembersReadItAreToldAndTheReviewCountsTheQuarter()
    {
        var admin = await app.VillageAdminAsync(Village);
        var leader = await app.GridLeaderAsync(Grid);
        var memberUser = "plan-member-" + Guid.NewGuid().ToString("N")[..8];
        var (member, memberView) = await app.NewMemberAsync(Grid, "周巡防", memberUser);
        var (absent, _) = await app.NewMemberAsync(Grid, "吴缺席");
        var start = app.Clock.Now.AddMinutes(5);
        var quarter = Quarter.Of(start);
        var plan = await CreatePlanAsync(admin, PlanOf(await app.UnitAsync(Village), quarter));
        var draftForMember = await member.Client.GetAsync($"/api/plans/{plan.Id}");
        (await admin.Client.PostAsync($"/api/plans/{plan.Id}/publish", null)).EnsureSuccessStatusCode();
        var item = plan.Items[0];
        var created = await leader.Client.PostAsJsonAsync("/api/events", EventOf(await app.UnitAsync(Grid), start, item.Id));
        var e = (await created.Content.ReadFromJsonAsync<EventView>())!;
        foreach (var person in new[] { member, absent })
        {
            (await person.Client.PostAsJsonAsync($"/api/events/{e.Id}/signups", new SignupRequest())).EnsureSuccessStatusCode();
        }
        (await member.Client.PostAsJsonAsync($"/api/events/{e.Id}/check-in", new EventCheckInRequest(null, Lat, Lng))).EnsureSuccessStatusCode();
        using var started = app.Clock.TravelTo(start.AddMinutes(30));
        (await leader.Client.PostAsJsonAsync($"/api/events/{e.Id}/attendance", new AttendanceRequest(null, null))).EnsureSuccessStatusCode();
        await app.ConfirmedPatrolAsync(memberView.Id, leader.UserId, app.Clock.Now.AddHours(-2), hours: 2);
        var report = await app.AcceptedReportAsync(memberView.Id, app.Clock.Now.AddHours(-1));
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report}/resolve", new TransitionRequest("已调解处理"))).EnsureSuccessStatusCode();
        (await admin.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/items/{item.Id}", new PlanItemUpdate(null, null, null, null, PlanItemStatus.Done)))
            .EnsureSuccessStatusCode();
        var earlyReview = quarter.LastDay.AddDays(-PlanReviewApi.DaysBeforeQuarterEnd - 1);
        HttpResponseMessage? tooEarly = null;
        if (app.Clock.Today <= earlyReview)
        {
            using (app.Clock.TravelTo(TestClock.ChinaTimeOn(earlyReview)))
            {
                tooEarly = await (await VillageAdminAgainAsync()).PostAsJsonAsync($"/api/plans/{plan.Id}/review", new PlanReviewRequest("本季度工作已按计划完成。"));
            }
        }
        using var quarterEnd = app.Clock.Today < quarter.LastDay ? app.Clock.TravelTo(TestClock.ChinaTimeOn(quarter.LastDay, 12)) : null;
        // Sessions issued before the clock travelled have expired on the way.
        admin = await app.SignInAsync(DemoApp.CastUser(Role.VillageAdmin, Village));
        member = await app.SignInAsync(memberUser);

        var reviewed = await admin.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/review", new PlanReviewRequest("本季度开展联合巡逻，调解纠纷一起，各项工作按计划完成。"));

        await draftForMember.AssertProblemAsync(HttpStatusCode.NotFound);
        if (tooEarly is not null)
        {
            Assert.Equal("plans.review.tooEarly", (await tooEarly.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        }
        var figures = (await reviewed.Content.ReadFromJsonAsync<WorkPlanView>())!.Review!.Figures;
        // The village's figures include its other grids' work of the quarter, written by other tests: at least what this test did.
        Assert.True(figures is { EventsHeld: >= 1, Attended: >= 1, NoShows: >= 1, Patrols: >= 1, ReportsResolved: >= 1 }, figures.ToString());
        Assert.True(figures.PatrolHours >= 2, figures.ToString());
        Assert.Equal((1, 2), (figures.ItemsDone, figures.ItemsPlanned));
        var read = (await member.Client.GetFromJsonAsync<WorkPlanView>($"/api/plans/{plan.Id}"))!;
        Assert.False(read.CanEdit);
        Assert.Equal((WorkPlanStatus.Published, PlanItemStatus.Done), (read.Status, read.Items[0].Status));
        var linked = Assert.Single(read.Items[0].Events);
        Assert.Equal((e.Id, EventStatus.Completed), (linked.Id, linked.Status));
        Assert.Equal(figures, read.Review!.Figures);
        var inbox = (await member.InboxAsync()).Items;
        Assert.Single(inbox, n => n.Kind == NotificationKind.PlanPublished && n.Body.Contains("平安创建季度工作安排"));
        Assert.Single(inbox, n => n.Kind == NotificationKind.PlanReviewed);
        Assert.Contains((await member.Client.GetFromJsonAsync<List<WorkPlanView>>($"/api/plans?quarter={quarter}"))!, p => p.Id == plan.Id);
    }

    private async Task<HttpClient> VillageAdminAgainAsync() =>
        (await app.SignInAsync(DemoApp.CastUser(Role.VillageAdmin, Village))).Client;

    [Fact]
    public async Task Plan_WhenALeaderOfAnotherGridOrAMemberTriesToChangeIt_AnswersAsIfThereWereNone()
    {
        var leader = await app.GridLeaderAsync(Grid);
        var otherLeader = await app.GridLeaderAsync(OtherGrid);
        var (member, _) = await app.NewMemberAsync(Grid, "郑网格");
        var quarter = app.Clock.CurrentQuarter.Next;
        var plan = await CreatePlanAsync(leader, PlanOf(await app.UnitAsync(Grid), quarter));
        var item = plan.Items[0];
        (await leader.Client.PostAsync($"/api/plans/{plan.Id}/publish", null)).EnsureSuccessStatusCode();

        var change = new PlanItemUpdate("改过的事项", null, null, null, null);
        var byOther = new[]
        {
            await otherLeader.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/items/{item.Id}", change),
            await otherLeader.Client.PutAsJsonAsync($"/api/plans/{plan.Id}", new EditWorkPlanRequest("别的网格改的", null)),
            await otherLeader.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/items", new NewPlanItemRequest("别的网格加的", null, "某人", quarter.LastDay)),
            await otherLeader.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/review", new PlanReviewRequest("别的网格写的总结内容")),
            await otherLeader.Client.GetAsync($"/api/plans/{plan.Id}"),
            await member.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/items/{item.Id}", change),
        };
        var again = await leader.Client.PostAsJsonAsync("/api/plans", PlanOf(await app.UnitAsync(Grid), quarter));
        var republish = await leader.Client.PostAsync($"/api/plans/{plan.Id}/publish", null);
        var foreignItem = await otherLeader.Client.PostAsJsonAsync("/api/events", EventOf(await app.UnitAsync(OtherGrid), app.Clock.Now.AddHours(1), item.Id));
        var outsideQuarter = await leader.Client.PostAsJsonAsync($"/api/plans/{plan.Id}/items/{item.Id}",
            new PlanItemUpdate(null, null, null, quarter.FirstDay.AddDays(-1), null));

        foreach (var answer in byOther)
        {
            await answer.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Equal("plans.plan.exists", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("plans.plan.published", (await republish.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        (await foreignItem.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("planItemId", "events.event.planItem");
        (await outsideQuarter.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("dueOn", "plans.item.dueOn");
        var unchanged = (await leader.Client.GetFromJsonAsync<WorkPlanView>($"/api/plans/{plan.Id}"))!;
        Assert.Equal((plan.Title, item.Title, 2), (unchanged.Title, unchanged.Items[0].Title, unchanged.Items.Count));
        Assert.True(unchanged.CanEdit);
    }

    [Theory]
    [InlineData("quarter")]
    [InlineData("items[0].dueOn")]
    [InlineData("items[1].owner")]
    [InlineData("items")]
    [InlineData("title")]
    public async Task CreatePlan_WhenInputIsWrong_Returns400NamingTheFieldAndWritesNothing(string field)
    {
        var leader = await app.GridLeaderAsync(OtherGrid);
        var unit = await app.UnitAsync(OtherGrid);
        var quarter = app.Clock.CurrentQuarter.Next.Next;
        var good = PlanOf(unit, quarter);
        var bad = field switch
        {
            "quarter" => good with { Quarter = app.Clock.CurrentQuarter.Next.Next.Next.Next.Next.ToString() },
            "items[0].dueOn" => good with { Items = [good.Items![0] with { DueOn = quarter.Next.FirstDay }, good.Items[1]] },
            "items[1].owner" => good with { Items = [good.Items![0], good.Items[1] with { Owner = " " }] },
            "items" => PlanOf(unit, quarter, items: NewWorkPlanRequest.MaxItems + 1),
            _ => good with { Title = "" },
        };

        var problem = await (await leader.Client.PostAsJsonAsync("/api/plans", bad)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.DoesNotContain((await leader.Client.GetFromJsonAsync<List<WorkPlanView>>($"/api/plans?unitId={unit}&quarter={quarter}"))!,
            p => p.Quarter == quarter.ToString());
    }
}
