using System.Net;
using System.Net.Http.Json;
using Association.Api.GridReports;
using Association.Api.Patrols;
using Association.Api.Todos;
using Association.Tests.Infrastructure;
using Association.Tests.Members;

namespace Association.Tests.Todos;

public sealed class TodosApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Grid = "TX-DTP-GJ-03";
    private const decimal Lat = 28.070000m;
    private const decimal Lng = 112.980000m;

    private static async Task<Api.Todos.Todos> TodosOfAsync(SignedIn person) => (await person.Client.GetFromJsonAsync<Api.Todos.Todos>("/api/todos"))!;

    [Fact]
    public async Task GetTodos_WhenWorkWaitsInTheGrid_CountsItForItsLeaderAndAdminsWithTheCallsThatActAndNothingForAnotherGrid()
    {
        var gridId = await app.UnitAsync(Grid);
        var leader = await app.GridLeaderAsync(Grid);
        var (member, _) = await app.NewMemberAsync(Grid, "王小明");
        var applicant = await app.SignInAsync("todo-applicant-" + Guid.NewGuid().ToString("N")[..8]);
        var application = await applicant.ApplyAsync(TestPeople.Application(gridId) with { RealName = "赵六" });
        var started = await member.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, app.Clock.Now.AddMinutes(-50)));
        var patrol = (await started.Content.ReadFromJsonAsync<PatrolView>())!;
        (await member.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/finish", new FinishPatrolRequest(Lat, Lng + 0.002m, app.Clock.Now))).EnsureSuccessStatusCode();
        var reported = await member.Client.PostAsJsonAsync("/api/grid-reports",
            new NewReportRequest(gridId, ReportKind.SafetyHazard, "消防通道被电动车堵住", "5栋", null, null, null, Urgency.Normal));
        var report = (await reported.Content.ReadFromJsonAsync<GridReportView>())!;

        var todos = await TodosOfAsync(leader);
        var admin = await TodosOfAsync(await app.SubDistrictAdminAsync());
        var elsewhere = await TodosOfAsync(await app.GridLeaderAsync("TX-DTP-GJ-01"));
        var memberOwn = await TodosOfAsync(member);

        var applications = Assert.Single(todos.Groups, g => g.Kind == TodoKind.ApplicationsToDecide);
        Assert.Equal("待审核入会申请", applications.Label);
        var first = Assert.Single(applications.First, i => i.Id == application.Id);
        Assert.Equal("赵*", first.Subject);
        Assert.Equal(new TodoLink("POST", $"/api/membership/applications/{application.Id}/approve"), first.Act);
        Assert.Contains(Assert.Single(todos.Groups, g => g.Kind == TodoKind.PatrolsToConfirm).First,
            i => i.Id == patrol.Id && i.Act == new TodoLink("POST", $"/api/patrols/{patrol.Id}/confirm"));
        var toAccept = Assert.Single(todos.Groups, g => g.Kind == TodoKind.ReportsToAccept);
        Assert.Contains(toAccept.First, i => i.Id == report.Id && i.Subject == "安全隐患" && i.Act.Path == $"/api/grid-reports/{report.Id}/accept");
        Assert.Equal(todos.Groups.Sum(g => g.Count), todos.Total);
        Assert.All(admin.Groups.Where(g => g.Kind is TodoKind.ApplicationsToDecide or TodoKind.PatrolsToConfirm or TodoKind.ReportsToAccept),
            g => Assert.True(g.Count >= todos.Groups.Single(t => t.Kind == g.Kind).Count));
        Assert.DoesNotContain(elsewhere.Groups.SelectMany(g => g.First), i => i.Id == application.Id || i.Id == patrol.Id || i.Id == report.Id);
        // A member holds no role: nothing to decide, and never their own patrol or report.
        Assert.DoesNotContain(memberOwn.Groups, g => g.Kind is TodoKind.PatrolsToConfirm or TodoKind.ReportsToAccept or TodoKind.ApplicationsToDecide);
    }

    [Fact]
    public async Task GetTodos_WhenAReportIsAssignedToAMember_ShowsItToThemWithResolve()
    {
        var gridId = await app.UnitAsync(Grid);
        var leader = await app.GridLeaderAsync(Grid);
        var (reporter, _) = await app.NewMemberAsync(Grid);
        var (mediator, mediatorMember) = await app.NewMemberAsync(Grid);
        var reported = await reporter.Client.PostAsJsonAsync("/api/grid-reports",
            new NewReportRequest(gridId, ReportKind.Dispute, "邻里因漏水发生争执", "7栋", null, null, null, Urgency.Normal));
        var report = (await reported.Content.ReadFromJsonAsync<GridReportView>())!;
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/accept", new TransitionRequest("属实"))).EnsureSuccessStatusCode();
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/assign", new AssignRequest(mediatorMember.Id, "请调解"))).EnsureSuccessStatusCode();

        var todos = await TodosOfAsync(mediator);

        var mine = Assert.Single(todos.Groups, g => g.Kind == TodoKind.ReportsAssignedToMe);
        var item = Assert.Single(mine.First);
        Assert.Equal(new TodoLink("POST", $"/api/grid-reports/{report.Id}/resolve"), item.Act);
        Assert.Equal(new TodoLink("GET", "/api/grid-reports/assigned-to-me"), mine.List);
        Assert.True(todos.UnreadNotifications >= 1);
    }

    [Fact]
    public async Task GetTodos_WithoutSignIn_Returns401()
    {
        var response = await app.CreateClient().GetAsync("/api/todos");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
