using System.Net;
using System.Net.Http.Json;
using Association.Api.GridReports;
using Association.Api.Notifications;
using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.GridReports;

public sealed class ReportEscalationTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Grid = "TX-DTP-XF-02";

    private async Task<GridReportView> DisputeAsync(SignedIn reporter) =>
        await SubmitAsync(reporter, new NewReportRequest(await app.UnitAsync(Grid), ReportKind.Dispute, "两户邻居因漏水问题多次争吵", "学府小区5栋", null, null, null, Urgency.Normal));

    private static async Task<GridReportView> SubmitAsync(SignedIn person, NewReportRequest request)
    {
        var response = await person.Client.PostAsJsonAsync("/api/grid-reports", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GridReportView>())!;
    }

    private static async Task<GridReportView> OkAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GridReportView>())!;
    }

    [Fact]
    public async Task EscalateReport_FromGridToVillageToSubDistrict_EachLevelIsToldAndHandlesItAndTheResolvingLevelIsRecorded()
    {
        var leader = await app.GridLeaderAsync(Grid);
        var village = await app.VillageAdminAsync("TX-DTP-XF");
        var subDistrict = await app.SubDistrictAdminAsync();
        var (reporter, _) = await app.NewMemberAsync(Grid, "王五");
        var report = await DisputeAsync(reporter);

        var raised = await OkAsync(await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("涉及物业，网格无法协调")));
        var leaderAccepts = await leader.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null);
        await OkAsync(await village.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null));
        var raisedAgain = await OkAsync(await village.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("需要街道协调物业公司")));
        var villageResolves = await village.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/resolve", new TransitionRequest("已调解"));
        var resolved = await OkAsync(await subDistrict.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/resolve", new TransitionRequest("街道约谈物业，已修复")));

        Assert.Equal(ReportLevel.Grid, report.Level);
        Assert.Equal(ReportLevel.Village, raised.Level);
        Assert.Equal("涉及物业，网格无法协调", Assert.Single(raised.Escalations!).Reason);
        Assert.Equal("gridReports.report.raised", (await leaderAccepts.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal([ReportLevel.Village, ReportLevel.SubDistrict], raisedAgain.Escalations!.Select(e => e.To));
        Assert.Equal("gridReports.report.raised", (await villageResolves.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal((ReportStatus.Resolved, ReportLevel.SubDistrict), (resolved.Status, resolved.ResolvedLevel));
        var toldVillage = Assert.Single((await village.InboxAsync()).Items,
            n => n.Kind == NotificationKind.ReportEscalated && n.SubjectPath == $"/api/grid-reports/{report.Id}");
        Assert.Contains("村（社区）：涉及物业", toldVillage.Body);
        Assert.Contains((await subDistrict.InboxAsync()).Items,
            n => n.Kind == NotificationKind.ReportEscalated && n.SubjectPath == $"/api/grid-reports/{report.Id}" && n.Body.Contains("需要街道协调"));
        Assert.DoesNotContain((await reporter.InboxAsync()).Items, n => n.Kind == NotificationKind.ReportEscalated);
        var leaderStillReads = await leader.Client.GetAsync($"/api/grid-reports/{report.Id}");
        Assert.Equal(HttpStatusCode.OK, leaderStillReads.StatusCode);
    }

    [Fact]
    public async Task EscalateReport_WhenRefused_SaysWhyAndRaisesNothing()
    {
        var leader = await app.GridLeaderAsync(Grid);
        var otherLeader = await app.GridLeaderAsync("TX-DTP-XF-01");
        var subDistrict = await app.SubDistrictAdminAsync();
        var (reporter, _) = await app.NewMemberAsync(Grid, "赵六");
        var report = await DisputeAsync(reporter);

        var noReason = await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest(" "));
        var byReporter = await reporter.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("我想让街道处理"));
        var outOfScope = await otherLeader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("隔壁网格替他上报"));
        var unknown = await leader.Client.PostAsJsonAsync("/api/grid-reports/999999999/escalate", new EscalateRequest("不存在的事件"));
        await OkAsync(await subDistrict.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("街道直接接手")));
        await OkAsync(await subDistrict.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("再上报一级")));
        var overTop = await subDistrict.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/escalate", new EscalateRequest("已到街道"));

        (await noReason.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("reason", "gridReports.escalate.reasonRequired");
        Assert.Equal("gridReports.report.notFound", (await byReporter.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal((await unknown.AssertProblemAsync(HttpStatusCode.NotFound)).Code(), (await outOfScope.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("gridReports.escalate.top", (await overTop.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM grid_report_escalations WHERE report_id = @id", new { id = report.Id }));
    }

    [Fact]
    public async Task Reminders_WhenAReportStaysOverdue_RaiseItOneLevelPerGraceOnceEvenWhenTwoRunsMeet()
    {
        var (reporter, _) = await app.NewMemberAsync(Grid, "钱七");
        var report = await DisputeAsync(reporter);
        var leader = await app.GridLeaderAsync(Grid);
        await OkAsync(await leader.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null));
        await using (var connection = await app.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE grid_reports SET deadline_at = @at WHERE id = @id", new { at = app.Clock.DbUtcNow().AddHours(-49), id = report.Id });
        }
        var jobs = new[] { app.Services.GetRequiredService<RemindersJob>(), app.Services.GetRequiredService<RemindersJob>() };

        await Task.WhenAll(jobs.Select(j => j.RunAsync(default)));
        var afterFirstGrace = await OkAsync(await leader.Client.GetAsync($"/api/grid-reports/{report.Id}"));
        await jobs[0].RunAsync(default);
        using (app.Clock.TravelTo(app.Clock.Now.AddHours(49)))
        {
            await Task.WhenAll(jobs.Select(j => j.RunAsync(default)));
        }

        Assert.Equal(ReportLevel.Village, afterFirstGrace.Level);
        var escalation = Assert.Single(afterFirstGrace.Escalations!);
        Assert.Null(escalation.ByUserId);
        ProblemAssertions.AssertChinese(escalation.Reason);
        var village = await app.VillageAdminAsync("TX-DTP-XF");
        var view = await OkAsync(await village.Client.GetAsync($"/api/grid-reports/{report.Id}"));
        Assert.Equal(ReportLevel.SubDistrict, view.Level);
        Assert.Equal([ReportLevel.Village, ReportLevel.SubDistrict], view.Escalations!.Select(e => e.To));
        Assert.Single((await village.InboxAsync()).Items, n => n.Kind == NotificationKind.ReportEscalated && n.SubjectPath == $"/api/grid-reports/{report.Id}");
    }
}
