using System.Net;
using System.Net.Http.Json;
using Association.Api.GridReports;
using Association.Api.Members;
using Association.Api.Notifications;
using Association.Api.Patrols;
using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Notifications;

public sealed class NotificationsApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Grid = "TX-DTP-HH-02";
    private const decimal Lat = 28.070000m;
    private const decimal Lng = 112.980000m;

    private async Task<PatrolView> FinishedPatrolAsync(SignedIn person)
    {
        var started = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, app.Clock.Now.AddMinutes(-70)));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var patrol = (await started.Content.ReadFromJsonAsync<PatrolView>())!;
        (await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/checkins",
            new CheckInRequest(Lat + 0.002m, Lng, null, "巷口正常", app.Clock.Now.AddMinutes(-40)))).EnsureSuccessStatusCode();
        var finished = await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/finish", new FinishPatrolRequest(Lat, Lng + 0.002m, app.Clock.Now));
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        return (await finished.Content.ReadFromJsonAsync<PatrolView>())!;
    }

    private static async Task<GridReportView> ReportAsync(SignedIn person, long gridId, ReportKind kind = ReportKind.SafetyHazard)
    {
        var response = await person.Client.PostAsJsonAsync("/api/grid-reports",
            new NewReportRequest(gridId, kind, "楼道里堆放了杂物，影响通行", "3栋2单元", null, null, null, Urgency.Normal));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GridReportView>())!;
    }

    private async Task<List<(string PushState, int Attempts)>> PushStatesAsync(long userId)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, int)>(
            "SELECT push_state, push_attempts FROM notifications WHERE user_id = @userId ORDER BY id", new { userId })).ToList();
    }

    private async Task<int> CreditsAsync(long userId, string templateId)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COALESCE(SUM(credits), 0) FROM subscribe_credits WHERE user_id = @userId AND template_id = @templateId", new { userId, templateId });
    }

    /// <summary>Notifications written as a feature writes them, in a transaction of its own.</summary>
    private async Task NotifyAsync(long userId, NotificationKind kind, int count)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Notices.WriteAsync(connection, transaction, app.Clock.DbUtcNow(), default,
            Enumerable.Range(0, count).Select(i => new Notice(userId, kind, $"test:{Guid.NewGuid():N}", null, "2026年1月1日", "测试网格", "原因")));
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task ConfirmPatrol_WhenTheLeaderConfirms_TellsTheMemberOfTheConfirmationAndThePointsInChinese()
    {
        var (person, _) = await app.NewMemberAsync(Grid);
        var patrol = await FinishedPatrolAsync(person);
        var leader = await app.GridLeaderAsync(Grid);

        (await leader.Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null)).EnsureSuccessStatusCode();
        var inbox = await person.InboxAsync();

        var confirmed = Assert.Single(inbox.Items, n => n.Kind == NotificationKind.PatrolConfirmed);
        Assert.Equal($"/api/patrols/{patrol.Id}", confirmed.SubjectPath);
        Assert.Contains("已确认", confirmed.Body);
        Assert.Contains(inbox.Items, n => n.Kind == NotificationKind.PointsAwarded && n.Body.Contains("积分"));
        Assert.All(inbox.Items, n => ProblemAssertions.AssertChinese(n.Title + n.Body));
        Assert.Equal(inbox.Items.Count, inbox.Unread);
        Assert.DoesNotContain((await leader.InboxAsync()).Items, n => n.Kind == NotificationKind.PatrolConfirmed);
    }

    [Fact]
    public async Task MarkRead_WhenOneThenAll_CountsDownAndAnotherUsersNotificationIsNotFound()
    {
        var (person, _) = await app.NewMemberAsync(Grid);
        var (other, _) = await app.NewMemberAsync(Grid);
        var welcome = Assert.Single((await person.InboxAsync()).Items, n => n.Kind == NotificationKind.ApplicationApproved);
        await NotifyAsync(person.UserId, NotificationKind.PatrolConfirmed, 2);

        var byOther = await other.Client.PostAsync($"/api/notifications/{welcome.Id}/read", null);
        var unreadAfterOther = (await person.Client.GetFromJsonAsync<UnreadCount>("/api/notifications/unread-count"))!.Unread;
        var read = await person.Client.PostAsync($"/api/notifications/{welcome.Id}/read", null);
        var unreadAfterOne = (await person.Client.GetFromJsonAsync<UnreadCount>("/api/notifications/unread-count"))!.Unread;
        var all = (await (await person.Client.PostAsync("/api/notifications/read-all", null)).Content.ReadFromJsonAsync<MarkedRead>())!;
        var unreadOnly = (await person.Client.GetFromJsonAsync<Inbox>("/api/notifications?unreadOnly=true"))!;

        await byOther.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(3, unreadAfterOther);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotNull((await read.Content.ReadFromJsonAsync<NotificationView>())!.ReadAt);
        Assert.Equal(2, unreadAfterOne);
        Assert.Equal(2, all.Marked);
        Assert.Empty(unreadOnly.Items);
        Assert.Equal(0, unreadOnly.Unread);
    }

    [Fact]
    public async Task Push_WhenAHundredNotificationsRaceForOneCreditOnFourInstances_SendsOneMessage()
    {
        var person = await app.SignInAsync("racer-" + Guid.NewGuid().ToString("N")[..8]);
        await person.AcceptSubscribeAsync("TPL-DECISION");
        await NotifyAsync(person.UserId, NotificationKind.PatrolConfirmed, 100);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => app.PushNotificationsAsync())));
        await app.PushNotificationsAsync();

        Assert.Single(app.MessagesTo(person, "TPL-DECISION"));
        var states = await PushStatesAsync(person.UserId);
        Assert.Equal(1, states.Count(s => s.PushState == "Sent"));
        Assert.Equal(99, states.Count(s => s.PushState == "NoCredit"));
        Assert.Equal(0, await CreditsAsync(person.UserId, "TPL-DECISION"));
    }

    [Fact]
    public async Task Push_WhenWeChatAnswers43101_ClearsTheCreditAndLogsTheErrcodeAndRid()
    {
        var person = await app.SignInAsync("refused-" + Guid.NewGuid().ToString("N")[..8]);
        await person.AcceptSubscribeAsync("TPL-DECISION", times: 3);
        await NotifyAsync(person.UserId, NotificationKind.PatrolRejected, 1);
        await app.WeChat.FaultAsync("subscribe_send", 43101);

        await app.PushNotificationsAsync();

        Assert.Equal("Refused", Assert.Single(await PushStatesAsync(person.UserId)).PushState);
        Assert.Equal(0, await CreditsAsync(person.UserId, "TPL-DECISION"));
        await using var connection = await app.Db.OpenConnectionAsync();
        var log = await connection.QuerySingleAsync<(int Errcode, string? Rid)>("""
            SELECT s.errcode, s.rid FROM subscribe_sends s JOIN notifications n ON n.id = s.notification_id WHERE n.user_id = @userId
            """, new { userId = person.UserId });
        Assert.Equal(43101, log.Errcode);
        Assert.False(string.IsNullOrEmpty(log.Rid));
        Assert.Empty(app.MessagesTo(person, "TPL-DECISION"));
    }

    [Fact]
    public async Task Push_WhenWeChatIsBusy_RetriesLaterOnTheSameCreditAndSendsOnce()
    {
        var person = await app.SignInAsync("busy-" + Guid.NewGuid().ToString("N")[..8]);
        await person.AcceptSubscribeAsync("TPL-DECISION");
        await NotifyAsync(person.UserId, NotificationKind.PatrolConfirmed, 1);
        await app.WeChat.FaultAsync("subscribe_send", -1);

        await app.PushNotificationsAsync();
        var afterBusy = Assert.Single(await PushStatesAsync(person.UserId));
        await app.PushNotificationsAsync();
        var beforeBackoff = Assert.Single(await PushStatesAsync(person.UserId));
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await app.PushNotificationsAsync();

        Assert.Equal(("Retry", 1), afterBusy);
        Assert.Equal(("Retry", 1), beforeBackoff);
        Assert.Equal(("Sent", 2), Assert.Single(await PushStatesAsync(person.UserId)));
        Assert.Single(app.MessagesTo(person, "TPL-DECISION"));
        Assert.Equal(0, await CreditsAsync(person.UserId, "TPL-DECISION"));
    }

    [Fact]
    public async Task Push_WithoutCreditOrTemplate_SendsNothingAndTheInboxStillHasIt()
    {
        var person = await app.SignInAsync("nocredit-" + Guid.NewGuid().ToString("N")[..8]);
        await NotifyAsync(person.UserId, NotificationKind.PatrolConfirmed, 1);
        await NotifyAsync(person.UserId, NotificationKind.MemberReinstated, 1);

        await app.PushNotificationsAsync();

        Assert.Equal(["NoCredit", "None"], (await PushStatesAsync(person.UserId)).Select(s => s.PushState));
        Assert.Equal(2, (await person.InboxAsync()).Unread);
        Assert.DoesNotContain(app.WeChat.State.Messages, m => m.Contains(person.OpenId));
    }

    [Fact]
    public async Task Subscribe_WhenRetriedWithTheSameKeyOrNamingAnUnknownTemplate_GrantsOneCreditOrNone()
    {
        var person = await app.SignInAsync("subscriber-" + Guid.NewGuid().ToString("N")[..8]);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> ReportAsync(string templateId, string answer, string idempotencyKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/subscriptions")
            {
                Content = JsonContent.Create(new SubscribeResultRequest([new SubscribeResult(templateId, answer)])),
            };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await person.Client.SendAsync(request);
        }

        var first = await ReportAsync("TPL-DECISION", "accept", key);
        var retried = await ReportAsync("TPL-DECISION", "accept", key);
        var unknown = await ReportAsync("TPL-NOT-CONFIGURED", "accept", Guid.NewGuid().ToString());
        var badAnswer = await ReportAsync("TPL-DECISION", "yes", Guid.NewGuid().ToString());
        var listed = (await person.Client.GetFromJsonAsync<List<SubscriptionView>>("/api/notifications/subscriptions"))!;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("results", "notifications.subscribe.unknownTemplate");
        (await badAnswer.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("results", "notifications.subscribe.answer");
        Assert.Equal(1, Assert.Single(listed, s => s.TemplateId == "TPL-DECISION").Credits);
        Assert.Contains(listed, s => s.TemplateId == "TPL-INSURANCE" && s.Credits == 0 && s.Kinds.Contains(NotificationKind.ReportOverdue));
        Assert.Equal(1, await CreditsAsync(person.UserId, "TPL-DECISION"));
    }

    [Fact]
    public async Task ReportWorkflow_WhenAcceptedAndAssigned_TellsTheReporterAndTheAssignee()
    {
        const string grid = "TX-DTP-HH-03";
        var (reporter, _) = await app.NewMemberAsync(grid);
        var (mediator, mediatorMember) = await app.NewMemberAsync(grid);
        var leader = await app.GridLeaderAsync(grid);
        var report = await ReportAsync(reporter, await app.UnitAsync(grid), ReportKind.Dispute);

        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/accept", new TransitionRequest("属实"))).EnsureSuccessStatusCode();
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/assign", new AssignRequest(mediatorMember.Id, "请调解"))).EnsureSuccessStatusCode();
        (await mediator.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/resolve", new TransitionRequest("双方已和解"))).EnsureSuccessStatusCode();

        var told = (await reporter.InboxAsync()).Items;
        Assert.Single(told, n => n.Kind == NotificationKind.ReportAccepted && n.Body.Contains("矛盾纠纷"));
        Assert.Single(told, n => n.Kind == NotificationKind.ReportResolved && n.Body.Contains("双方已和解"));
        var assigned = Assert.Single((await mediator.InboxAsync()).Items, n => n.Kind == NotificationKind.ReportAssigned);
        Assert.Equal($"/api/grid-reports/{report.Id}", assigned.SubjectPath);
    }

    [Fact]
    public async Task Reminders_WhenRunTwiceAtOnce_RemindTheLeaderOnceAndRaiseOverdueReportsToTheVillageAfterTheGrace()
    {
        const string grid = "TX-DTP-HH-04";
        var leader = await app.GridLeaderAsync(grid);
        var villageAdmin = await app.VillageAdminAsync("TX-DTP-HH");
        var (reporter, _) = await app.NewMemberAsync(grid);
        var resident = await app.SignInAsync("late-applicant-" + Guid.NewGuid().ToString("N")[..8]);
        var application = await resident.ApplyAsync(TestPeople.Application(await app.UnitAsync(grid)));
        var report = await ReportAsync(reporter, await app.UnitAsync(grid));
        await using (var connection = await app.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE membership_applications SET created_at = @at WHERE id = @id",
                new { at = app.Clock.DbUtcNow().AddDays(-4), id = application.Id });
            await connection.ExecuteAsync("UPDATE grid_reports SET deadline_at = @at WHERE id = @id", new { at = app.Clock.DbUtcNow().AddHours(-1), id = report.Id });
        }
        var job = app.Services.GetRequiredService<RemindersJob>();

        await Task.WhenAll(job.RunAsync(default), app.Services.GetRequiredService<RemindersJob>().RunAsync(default));
        var villageBeforeGrace = (await villageAdmin.InboxAsync()).Items;
        using (app.Clock.TravelTo(app.Clock.Now.AddHours(49)))
        {
            await job.RunAsync(default);
            await job.RunAsync(default);
        }

        var leaderTold = (await leader.InboxAsync()).Items;
        Assert.Single(leaderTold, n => n.Kind == NotificationKind.ApplicationWaiting && n.SubjectPath!.Contains("status=Pending"));
        Assert.Single(leaderTold, n => n.Kind == NotificationKind.ReportOverdue && n.SubjectPath == $"/api/grid-reports/{report.Id}");
        Assert.DoesNotContain(villageBeforeGrace, n => n.Kind == NotificationKind.ReportEscalated && n.SubjectPath == $"/api/grid-reports/{report.Id}");
        var raised = Assert.Single((await villageAdmin.InboxAsync()).Items,
            n => n.Kind == NotificationKind.ReportEscalated && n.SubjectPath == $"/api/grid-reports/{report.Id}");
        ProblemAssertions.AssertChinese(raised.Body);
        Assert.DoesNotContain((await reporter.InboxAsync()).Items, n => n.Kind == NotificationKind.ReportOverdue);
    }
}
