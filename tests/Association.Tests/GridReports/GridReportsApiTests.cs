using System.Net;
using System.Net.Http.Json;
using Association.Api.GridReports;
using Association.Api.Members;
using Association.Api.Points;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Dapper;

namespace Association.Tests.GridReports;

public sealed class GridReportsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn LeaderXl02 { get; set; } = null!;
    private SignedIn VillageAdminXl { get; set; } = null!;
    private long GridXl02 { get; set; }

    public async Task InitializeAsync()
    {
        LeaderXl02 = await app.GridLeaderAsync("TX-DTP-XL-02");
        VillageAdminXl = await app.VillageAdminAsync("TX-DTP-XL");
        GridXl02 = await app.UnitAsync("TX-DTP-XL-02");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(SignedIn Person, MemberView Member)> MemberAsync() => app.NewMemberAsync(VillageAdminXl, GridXl02);

    private NewReportRequest Report(ReportKind kind = ReportKind.SafetyHazard, string text = "三栋楼道堆放杂物，存在火灾隐患") =>
        new(GridXl02, kind, text, "新路村三栋", 28.07m, 112.98m, null, Urgency.High);

    private static async Task<GridReportView> SubmitAsync(SignedIn person, NewReportRequest request)
    {
        var response = await person.Client.PostAsJsonAsync("/api/grid-reports", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GridReportView>())!;
    }

    private async Task<PointStatement> PointsAsync(long memberId) =>
        (await VillageAdminXl.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{memberId}?pageSize=100"))!;

    [Fact]
    public async Task AcceptReport_WhenMemberReportedAHazard_AwardsHazardPointsAndRecordsEachStep()
    {
        var (person, member) = await MemberAsync();
        var photo = await person.UploadPhotoAsync();
        var report = await SubmitAsync(person, Report() with { PhotoRefs = [photo] });

        var accepted = await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null);

        Assert.Equal(ReportStatus.Submitted, report.Status);
        Assert.Equal([photo], report.PhotoRefs);
        var view = (await accepted.Content.ReadFromJsonAsync<GridReportView>())!;
        Assert.Equal(ReportStatus.Accepted, view.Status);
        Assert.Equal([ReportStatus.Submitted, ReportStatus.Accepted], view.History!.Select(h => h.To));
        var entry = Assert.Single((await PointsAsync(member.Id)).Entries);
        Assert.Equal((WorkKind.HazardConfirmed, 15), (entry.WorkKind!.Value, entry.Points));
        Assert.Contains("三栋楼道", app.WeChat.State.LastContentCheckBody);
    }

    [Fact]
    public async Task SubmitReport_WhenContentIsRisky_IsRefusedAndNotStored()
    {
        var (person, _) = await MemberAsync();

        var response = await person.Client.PostAsJsonAsync("/api/grid-reports", Report(text: "这里有违禁内容出售"));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Empty((await person.Client.GetFromJsonAsync<List<GridReportView>>("/api/grid-reports"))!);
    }

    [Fact]
    public async Task SubmitReport_WhenContentNeedsReview_IsHeldUntilTheLeaderReleasesIt()
    {
        var (person, _) = await MemberAsync();
        var report = await SubmitAsync(person, Report(text: "这段描述待审一下再发布"));

        var acceptHeld = await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null);
        var released = await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/release", null);

        Assert.Equal((ReportStatus.Held, "Review"), (report.Status, report.ContentCheck));
        await acceptHeld.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ReportStatus.Submitted, (await released.Content.ReadFromJsonAsync<GridReportView>())!.Status);
    }

    [Fact]
    public async Task SubmitReport_WhenWeChatCannotCheck_HoldsTheReport()
    {
        var (person, _) = await MemberAsync();
        await app.WeChat.FaultAsync("msg_sec_check", -500);

        var report = await SubmitAsync(person, Report());

        Assert.Equal((ReportStatus.Held, "Unchecked"), (report.Status, report.ContentCheck));
    }

    [Fact]
    public async Task AcceptReport_WhenAuthorIsTheLeader_Returns403()
    {
        var report = await SubmitAsync(LeaderXl02, Report());

        var response = await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AcceptReport_WhenConfirmedTwiceAtOnce_AwardsOnce()
    {
        var (person, member) = await MemberAsync();
        var report = await SubmitAsync(person, Report(ReportKind.InformationCollected, "新搬来三户外来人口，已登记"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? LeaderXl02 : VillageAdminXl).Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single((await PointsAsync(member.Id)).Entries);
    }

    [Fact]
    public async Task RejectReport_WhenRejected_EarnsNothingAndCannotBeAcceptedLater()
    {
        var (person, member) = await MemberAsync();
        var report = await SubmitAsync(person, Report());

        var noNote = await LeaderXl02.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/reject", new TransitionRequest(""));
        var rejected = await LeaderXl02.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/reject", new TransitionRequest("重复上报"));
        var acceptLater = await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null);

        await noNote.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        await acceptLater.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Empty((await PointsAsync(member.Id)).Entries);
    }

    [Fact]
    public async Task Dispute_WhenAssignedAndResolved_TheMediatorEarnsDisputePoints()
    {
        var (reporter, reporterMember) = await MemberAsync();
        var (mediator, mediatorMember) = await MemberAsync();
        var report = await SubmitAsync(reporter, Report(ReportKind.Dispute, "邻里因停车位发生争吵，需要调解"));
        var leader = LeaderXl02.Client;
        (await leader.PostAsync($"/api/grid-reports/{report.Id}/accept", null)).EnsureSuccessStatusCode();

        var toStranger = await leader.PostAsJsonAsync($"/api/grid-reports/{report.Id}/assign", new AssignRequest(987654321, null));
        (await leader.PostAsJsonAsync($"/api/grid-reports/{report.Id}/assign", new AssignRequest(mediatorMember.Id, "请调解"))).EnsureSuccessStatusCode();
        var resolved = await leader.PostAsJsonAsync($"/api/grid-reports/{report.Id}/resolve", new TransitionRequest("双方达成协议"));
        var closed = await leader.PostAsync($"/api/grid-reports/{report.Id}/close", null);

        await toStranger.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var final = (await closed.Content.ReadFromJsonAsync<GridReportView>())!;
        Assert.Equal([ReportStatus.Submitted, ReportStatus.Accepted, ReportStatus.Assigned, ReportStatus.Resolved, ReportStatus.Closed],
            final.History!.Select(h => h.To));
        Assert.Equal(WorkKind.InformationCollected, Assert.Single((await PointsAsync(reporterMember.Id)).Entries).WorkKind);
        var mediatorEntry = Assert.Single((await PointsAsync(mediatorMember.Id)).Entries);
        Assert.Equal((WorkKind.DisputeResolved, 20), (mediatorEntry.WorkKind!.Value, mediatorEntry.Points));
    }

    [Fact]
    public async Task Dispute_WhenTheMediatorWorksItFromTheirPhone_TheyEarnOnlyWhenTheLeaderCloses()
    {
        var (reporter, _) = await MemberAsync();
        var (mediator, mediatorMember) = await MemberAsync();
        var (bystander, _) = await MemberAsync();
        var report = await SubmitAsync(reporter, Report(ReportKind.Dispute, "楼上漏水引发邻里纠纷，需要调解"));
        var leader = LeaderXl02.Client;
        (await leader.PostAsync($"/api/grid-reports/{report.Id}/accept", null)).EnsureSuccessStatusCode();
        var beforeAssigned = await mediator.Client.GetAsync($"/api/grid-reports/{report.Id}");
        (await leader.PostAsJsonAsync($"/api/grid-reports/{report.Id}/assign", new AssignRequest(mediatorMember.Id, "请调解"))).EnsureSuccessStatusCode();

        var mine = (await mediator.Client.GetFromJsonAsync<List<GridReportView>>("/api/grid-reports/assigned-to-me"))!;
        var read = await mediator.Client.GetFromJsonAsync<GridReportView>($"/api/grid-reports/{report.Id}");
        var byBystander = await bystander.Client.GetAsync($"/api/grid-reports/{report.Id}");
        var acceptedByMediator = await mediator.Client.PostAsync($"/api/grid-reports/{report.Id}/close", null);
        var resolved = await mediator.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/resolve", new TransitionRequest("双方协商，楼上负责维修"));
        var pointsBeforeClose = (await PointsAsync(mediatorMember.Id)).Entries;
        var closed = await leader.PostAsync($"/api/grid-reports/{report.Id}/close", null);

        await beforeAssigned.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(report.Id, Assert.Single(mine).Id);
        Assert.Equal(ReportStatus.Assigned, read!.Status);
        await byBystander.AssertProblemAsync(HttpStatusCode.NotFound);
        await acceptedByMediator.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Empty(pointsBeforeClose);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var entry = Assert.Single((await PointsAsync(mediatorMember.Id)).Entries);
        Assert.Equal(WorkKind.DisputeResolved, entry.WorkKind);
        var history = (await closed.Content.ReadFromJsonAsync<GridReportView>())!.History!;
        Assert.Contains(history, h => h.To == ReportStatus.Resolved && h.ByUserId == mediator.UserId && h.Note == "双方协商，楼上负责维修");
    }

    [Fact]
    public async Task ReportPhoto_WhenAResidentWithoutAGridReportsWithIt_TheGridsLeaderAndTheMediatorOpenItAndOthersDoNot()
    {
        var resident = await app.SignInAsync("photo-resident-" + Guid.NewGuid().ToString("N")[..6]);
        var (mediator, mediatorMember) = await MemberAsync();
        var otherLeader = await app.SignInWithRoleAsync("gl-xl01-photo", Role.GridLeader, "TX-DTP-XL-01");
        var photo = await resident.UploadPhotoAsync();
        var unattached = await resident.UploadPhotoAsync();
        var report = await SubmitAsync(resident, Report(ReportKind.Dispute, "两户因晾晒衣物发生口角") with { PhotoRefs = [photo] });
        (await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null)).EnsureSuccessStatusCode();
        var mediatorBefore = await mediator.Client.GetAsync($"/api/photos/{photo}");
        (await LeaderXl02.Client.PostAsJsonAsync($"/api/grid-reports/{report.Id}/assign", new AssignRequest(mediatorMember.Id, null))).EnsureSuccessStatusCode();

        var byLeader = await LeaderXl02.Client.GetAsync($"/api/photos/{photo}");
        var byMediator = await mediator.Client.GetAsync($"/api/photos/{photo}");
        var byOtherLeader = await otherLeader.Client.GetAsync($"/api/photos/{photo}");
        var unattachedByLeader = await LeaderXl02.Client.GetAsync($"/api/photos/{unattached}");
        var stolen = await mediator.Client.PostAsJsonAsync("/api/grid-reports", Report() with { PhotoRefs = [photo] });

        Assert.Equal(HttpStatusCode.OK, byLeader.StatusCode);
        Assert.Equal(PhotoUploads.Png, await byLeader.Content.ReadAsByteArrayAsync());
        await mediatorBefore.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, byMediator.StatusCode);
        await byOtherLeader.AssertProblemAsync(HttpStatusCode.NotFound);
        await unattachedByLeader.AssertProblemAsync(HttpStatusCode.NotFound);
        (await stolen.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("photoRefs", "photos.ref.notOwned");
    }

    [Fact]
    public async Task ListOverdueReports_WhenPastDeadline_ShowsThemToLeaderAndVillageOnly()
    {
        var (person, _) = await MemberAsync();
        var report = await SubmitAsync(person, Report());
        await using (var connection = await app.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE grid_reports SET deadline_at = @passed WHERE id = @id", new { id = report.Id, passed = app.Clock.Now.UtcDateTime.AddHours(-1) });
        }
        var otherLeader = await app.SignInWithRoleAsync("gl-xl01", Role.GridLeader, "TX-DTP-XL-01");

        var byLeader = (await LeaderXl02.Client.GetFromJsonAsync<List<GridReportView>>("/api/grid-reports/overdue"))!;
        var byVillage = (await VillageAdminXl.Client.GetFromJsonAsync<List<GridReportView>>("/api/grid-reports/overdue"))!;
        var byOther = (await otherLeader.Client.GetFromJsonAsync<List<GridReportView>>("/api/grid-reports/overdue"))!;

        Assert.Contains(byLeader, r => r.Id == report.Id);
        Assert.Contains(byVillage, r => r.Id == report.Id);
        Assert.DoesNotContain(byOther, r => r.Id == report.Id);
    }

    [Fact]
    public async Task SubmitReport_WhenResidentReports_AcceptanceEarnsNobodyPoints()
    {
        var resident = await app.SignInAsync("resident-" + Guid.NewGuid().ToString("N")[..6]);
        var report = await SubmitAsync(resident, Report(ReportKind.Uncivil, "有人在绿化带里乱扔垃圾"));

        var accepted = await LeaderXl02.Client.PostAsync($"/api/grid-reports/{report.Id}/accept", null);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM point_entries WHERE source_kind = 'GridReport' AND source_id = @id", new { id = report.Id }));
    }

    [Theory]
    [InlineData("description")]
    [InlineData("gridId")]
    [InlineData("photoRefs")]
    [InlineData("photoRefs of a colleague")]
    public async Task SubmitReport_WhenInputIsWrong_Returns400NamingTheField(string wrong)
    {
        var (person, _) = await MemberAsync();
        var (colleague, _) = await MemberAsync();
        var good = Report() with { PhotoRefs = [await person.UploadPhotoAsync()] };
        var bad = wrong switch
        {
            "description" => good with { Description = "短" },
            "gridId" => good with { GridId = await app.UnitIdAsync("TX-DTP-XL") },
            "photoRefs" => good with { PhotoRefs = Enumerable.Range(0, 10).Select(i => $"p{i}").ToList() },
            _ => good with { PhotoRefs = [good.PhotoRefs![0], await colleague.UploadPhotoAsync()] },
        };
        var field = wrong.Split(' ')[0];

        var response = await person.Client.PostAsJsonAsync("/api/grid-reports", bad);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.Created, (await person.Client.PostAsJsonAsync("/api/grid-reports", good)).StatusCode);
    }
}
