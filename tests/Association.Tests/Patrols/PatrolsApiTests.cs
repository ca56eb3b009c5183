using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Patrols;
using Association.Api.Points;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Patrols;

public sealed class PatrolsApiTests(PatrolsApiTests.App app) : IClassFixture<PatrolsApiTests.App>
{
    // Near 大托铺, Changsha.
    private const decimal Lat = 28.070000m;
    private const decimal Lng = 112.980000m;

    public sealed class App : AssociationApp
    {
        public SignedIn LeaderXf01 { get; private set; } = null!;
        public SignedIn VillageAdminXf { get; private set; } = null!;
        public long GridXf01 { get; private set; }
        public long GridXf02 { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await SeedDemoOrganisationAsync();
            await SeedDemoPointRulesAsync();
            LeaderXf01 = await this.SignInWithRoleAsync("gl-xf01", Role.GridLeader, "TX-DTP-XF-01");
            VillageAdminXf = await this.SignInWithRoleAsync("va-xf", Role.VillageAdmin, "TX-DTP-XF");
            GridXf01 = await this.UnitIdAsync("TX-DTP-XF-01");
            GridXf02 = await this.UnitIdAsync("TX-DTP-XF-02");
        }
    }

    private Task<(SignedIn Person, MemberView Member)> MemberAsync(long? grid = null) => app.NewMemberAsync(app.VillageAdminXf, grid ?? app.GridXf01);

    private DateTimeOffset MinutesAgo(int minutes) => app.Clock.Now.AddMinutes(-minutes);

    /// <summary>A plausible hour-long patrol: start, two check-ins a few hundred metres apart, finish.</summary>
    private async Task<PatrolView> PatrolAsync(SignedIn person, IReadOnlyList<long>? companions = null, int startedMinutesAgo = 60)
    {
        var started = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, companions, MinutesAgo(startedMinutesAgo)));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var patrol = (await started.Content.ReadFromJsonAsync<PatrolView>())!;
        (await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/checkins",
            new CheckInRequest(Lat + 0.002m, Lng, await person.UploadPhotoAsync(), "巷口正常", MinutesAgo(startedMinutesAgo - 20)))).EnsureSuccessStatusCode();
        (await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/checkins",
            new CheckInRequest(Lat + 0.002m, Lng + 0.002m, null, null, MinutesAgo(startedMinutesAgo - 40)))).EnsureSuccessStatusCode();
        var finished = await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/finish", new FinishPatrolRequest(Lat, Lng + 0.001m, MinutesAgo(0)));
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        return (await finished.Content.ReadFromJsonAsync<PatrolView>())!;
    }

    private async Task<PointStatement> PointsAsync(long memberId) =>
        (await app.VillageAdminXf.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{memberId}?pageSize=100"))!;

    [Theory]
    [InlineData("a colleague's")]
    [InlineData("never uploaded")]
    public async Task CheckIn_WhenThePhotoIsNotTheMembersOwn_Returns400NamingPhotoRef(string whose)
    {
        var (person, _) = await MemberAsync();
        var (colleague, _) = await MemberAsync();
        var photo = whose == "never uploaded" ? Guid.NewGuid().ToString("N") : await colleague.UploadPhotoAsync();
        var started = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, MinutesAgo(30)));
        var patrol = (await started.Content.ReadFromJsonAsync<PatrolView>())!;

        var checkIn = await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/checkins", new CheckInRequest(Lat, Lng, photo, null, MinutesAgo(10)));

        var problem = await checkIn.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("photoRef", out _));
    }

    [Fact]
    public async Task ConfirmPatrol_WhenTeamPatrolFinished_AwardsEveryParticipantOnce()
    {
        var (starter, starterMember) = await MemberAsync();
        var (_, companion) = await MemberAsync();
        var patrol = await PatrolAsync(starter, [companion.Id]);

        var confirmed = await app.LeaderXf01.Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(PatrolStatus.Confirmed, (await confirmed.Content.ReadFromJsonAsync<PatrolView>())!.Status);
        Assert.Empty(patrol.Flags);
        Assert.Equal(4, patrol.Track!.Count);
        foreach (var memberId in new[] { starterMember.Id, companion.Id })
        {
            var points = await PointsAsync(memberId);
            Assert.Equal(15, points.Totals.Balance);
            Assert.Equal([WorkKind.PatrolHour, WorkKind.PatrolCompleted], points.Entries.Select(e => e.WorkKind!.Value));
        }
    }

    [Fact]
    public async Task CheckInPhoto_WhenTakenOnATeamPatrol_IsOpenedByTheCompanionButNotByAnotherMemberOfTheGrid()
    {
        var (starter, _) = await MemberAsync();
        var (companion, companionMember) = await MemberAsync();
        var (neighbour, _) = await MemberAsync();
        var patrol = await PatrolAsync(starter, [companionMember.Id]);
        var photo = Assert.Single(patrol.Track!, t => t.PhotoRef is not null).PhotoRef;

        var byCompanion = await companion.Client.GetAsync($"/api/photos/{photo}");
        var byNeighbour = await neighbour.Client.GetAsync($"/api/photos/{photo}");

        Assert.Equal(HttpStatusCode.OK, byCompanion.StatusCode);
        await byNeighbour.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AbandonedPatrolsJob_WhenAPatrolRunsPastTheLimit_EndsItAtItsLastPointOnceAndFreesItsMembers()
    {
        var (starter, _) = await MemberAsync();
        var (companion, companionMember) = await MemberAsync();
        var started = await starter.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, [companionMember.Id], MinutesAgo(13 * 60)));
        var old = (await started.Content.ReadFromJsonAsync<PatrolView>())!;
        var lastPoint = MinutesAgo(12 * 60 + 30);
        (await starter.Client.PostAsJsonAsync($"/api/patrols/{old.Id}/checkins", new CheckInRequest(Lat + 0.001m, Lng, null, null, lastPoint))).EnsureSuccessStatusCode();
        var (recent, _) = await MemberAsync();
        var running = (await (await recent.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, MinutesAgo(60))))
            .Content.ReadFromJsonAsync<PatrolView>())!;
        var blocked = await companion.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, null));
        var job = app.Services.GetRequiredService<AbandonedPatrolsJob>();

        var endedAtOnce = await Task.WhenAll(job.RunAsync(default), job.RunAsync(default));
        var again = await job.RunAsync(default);

        await blocked.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.True(endedAtOnce.Sum() >= 1);
        Assert.Equal(0, again);
        var ended = (await app.LeaderXf01.Client.GetFromJsonAsync<PatrolView>($"/api/patrols/{old.Id}"))!;
        Assert.Equal(PatrolStatus.Finished, ended.Status);
        Assert.Equal([PatrolFlag.NotFinishedByMember], ended.Flags);
        Assert.Equal(lastPoint.UtcDateTime, ended.FinishedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(PatrolStatus.InProgress, (await app.LeaderXf01.Client.GetFromJsonAsync<PatrolView>($"/api/patrols/{running.Id}"))!.Status);
        var free = await companion.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, null));
        Assert.Equal(HttpStatusCode.Created, free.StatusCode);
    }

    [Fact]
    public async Task EndPatrol_WhenTheLeaderEndsARunningPatrol_ItWaitsForConfirmationAndOnlyALeaderWhoDidNotPatrolMayEndIt()
    {
        var (starter, _) = await MemberAsync();
        var (companion, companionMember) = await MemberAsync();
        var otherLeader = await app.SignInWithRoleAsync("gl-xf02-end", Role.GridLeader, "TX-DTP-XF-02");
        var patrol = (await (await starter.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, [companionMember.Id], MinutesAgo(90))))
            .Content.ReadFromJsonAsync<PatrolView>())!;

        var byCompanion = await companion.Client.PostAsync($"/api/patrols/{patrol.Id}/end", null);
        var byOtherGrid = await otherLeader.Client.PostAsync($"/api/patrols/{patrol.Id}/end", null);
        var byLeader = await app.LeaderXf01.Client.PostAsync($"/api/patrols/{patrol.Id}/end", null);
        var twice = await app.LeaderXf01.Client.PostAsync($"/api/patrols/{patrol.Id}/end", null);

        await byCompanion.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byOtherGrid.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, byLeader.StatusCode);
        var ended = (await byLeader.Content.ReadFromJsonAsync<PatrolView>())!;
        Assert.Equal((PatrolStatus.Finished, true), (ended.Status, ended.Flags.Contains(PatrolFlag.NotFinishedByMember)));
        Assert.Equal("patrols.patrol.notInProgress", (await twice.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(HttpStatusCode.OK, (await app.LeaderXf01.Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await starter.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, null))).StatusCode);
    }

    [Fact]
    public async Task JoinPatrol_WhenTeamPatrolRuns_MembersOfTheGridJoinAndEarnOnConfirmation()
    {
        var (leaderMember, _) = await MemberAsync();
        var (joiner, joinerMember) = await MemberAsync();
        var (outsider, _) = await MemberAsync(app.GridXf02);
        var started = await leaderMember.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, MinutesAgo(50)));
        var patrol = (await started.Content.ReadFromJsonAsync<PatrolView>())!;

        var joined = await joiner.Client.PostAsync($"/api/patrols/{patrol.Id}/join", null);
        var twice = await joiner.Client.PostAsync($"/api/patrols/{patrol.Id}/join", null);
        var fromElsewhere = await outsider.Client.PostAsync($"/api/patrols/{patrol.Id}/join", null);
        (await leaderMember.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/finish", new FinishPatrolRequest(Lat, Lng, MinutesAgo(0)))).EnsureSuccessStatusCode();
        var late = await joiner.Client.PostAsync($"/api/patrols/{patrol.Id}/join", null);
        (await app.LeaderXf01.Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null)).EnsureSuccessStatusCode();

        Assert.Contains(joinerMember.Id, (await joined.Content.ReadFromJsonAsync<PatrolView>())!.MemberIds);
        await twice.AssertProblemAsync(HttpStatusCode.Conflict);
        await fromElsewhere.AssertProblemAsync(HttpStatusCode.NotFound);
        await late.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(10, (await PointsAsync(joinerMember.Id)).Totals.Balance);
    }

    [Fact]
    public async Task ConfirmPatrol_WhenConfirmedTwiceAtOnce_AwardsOnce()
    {
        var (starter, member) = await MemberAsync();
        var patrol = await PatrolAsync(starter);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? app.LeaderXf01 : app.VillageAdminXf).Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(2, (await PointsAsync(member.Id)).Entries.Count);
    }

    [Fact]
    public async Task FinishPatrol_WhenImplausible_FlagsItAndRejectionEarnsNothing()
    {
        (await app.VillageAdminXf.Client.PutAsJsonAsync($"/api/patrols/grids/{app.GridXf01}/area", new GridAreaRequest(Lat, Lng, 500))).EnsureSuccessStatusCode();
        var (person, member) = await MemberAsync();
        var started = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, MinutesAgo(5)));
        var patrol = (await started.Content.ReadFromJsonAsync<PatrolView>())!;

        var finished = await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/finish", new FinishPatrolRequest(Lat + 0.05m, Lng, MinutesAgo(0)));
        var rejected = await app.LeaderXf01.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/reject", new ReasonRequest("轨迹异常"));

        var flags = (await finished.Content.ReadFromJsonAsync<PatrolView>())!.Flags;
        Assert.Equal([PatrolFlag.OutsideArea, PatrolFlag.TooShort, PatrolFlag.ImpossibleSpeed], flags);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Empty((await PointsAsync(member.Id)).Entries);
        var listed = (await app.LeaderXf01.Client.GetFromJsonAsync<List<PatrolView>>($"/api/patrols?memberId={member.Id}"))!;
        Assert.Equal(PatrolStatus.Rejected, Assert.Single(listed).Status);
        Assert.Null(listed[0].Track);
    }

    [Fact]
    public async Task Patrol_WhenFinishedTwiceOrCheckedInAfterwards_Returns409()
    {
        var (person, _) = await MemberAsync();
        var patrol = await PatrolAsync(person);

        var finishAgain = await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/finish", new FinishPatrolRequest(Lat, Lng, null));
        var lateCheckIn = await person.Client.PostAsJsonAsync($"/api/patrols/{patrol.Id}/checkins", new CheckInRequest(Lat, Lng, null, null, null));

        await finishAgain.AssertProblemAsync(HttpStatusCode.Conflict);
        await lateCheckIn.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task StartPatrol_WhenBurstOfStarts_OnlyOneRunsAtATime()
    {
        var (person, _) = await MemberAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, null))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task StartPatrol_WhenCompanionIsFromAnotherGridOrCallerIsNoMember_IsRefused()
    {
        var (person, _) = await MemberAsync();
        var (_, elsewhere) = await MemberAsync(app.GridXf02);
        var resident = await app.SignInAsync("resident-" + Guid.NewGuid().ToString("N")[..6]);

        var withStranger = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, [elsewhere.Id], null));
        var notMember = await resident.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, null));
        var badPosition = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(123m, Lng, null, null));
        var future = await person.Client.PostAsJsonAsync("/api/patrols", new StartPatrolRequest(Lat, Lng, null, app.Clock.Now.AddHours(1)));

        var problem = await withStranger.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("companions", out _));
        await notMember.AssertProblemAsync(HttpStatusCode.Forbidden);
        await badPosition.AssertProblemAsync(HttpStatusCode.BadRequest);
        await future.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task GetPatrol_WhenAskedByMemberWhoWasNotThereOrLeaderElsewhere_Returns404()
    {
        var (person, _) = await MemberAsync();
        var (neighbour, _) = await MemberAsync();
        var otherLeader = await app.SignInWithRoleAsync("gl-xf02", Role.GridLeader, "TX-DTP-XF-02");
        var patrol = await PatrolAsync(person);

        var byNeighbour = await neighbour.Client.GetAsync($"/api/patrols/{patrol.Id}");
        var byOtherLeader = await otherLeader.Client.GetAsync($"/api/patrols/{patrol.Id}");
        var confirmElsewhere = await otherLeader.Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null);
        var byLeader = (await app.LeaderXf01.Client.GetFromJsonAsync<PatrolView>($"/api/patrols/{patrol.Id}"))!;

        await byNeighbour.AssertProblemAsync(HttpStatusCode.NotFound);
        await byOtherLeader.AssertProblemAsync(HttpStatusCode.NotFound);
        await confirmElsewhere.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(4, byLeader.Track!.Count);
    }

    [Fact]
    public async Task ConfirmPatrol_WhenLeaderPatrolledThemselves_Returns403()
    {
        var user = "gl-patroller-" + Guid.NewGuid().ToString("N")[..6];
        await app.NewMemberAsync(app.VillageAdminXf, app.GridXf01, user: user);
        var leader = await app.SignInWithRoleAsync(user, Role.GridLeader, "TX-DTP-XF-01");
        var patrol = await PatrolAsync(leader);

        var response = await leader.Client.PostAsync($"/api/patrols/{patrol.Id}/confirm", null);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class PatrolPlausibilityTests
{
    private static readonly DateTime Start = new(2026, 11, 1, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Check_WhenWalkingAnHourInsideTheArea_RaisesNoFlag()
    {
        var track = new[]
        {
            new PatrolPlausibility.Point(Start, 28.07m, 112.98m),
            new PatrolPlausibility.Point(Start.AddMinutes(30), 28.075m, 112.98m),
            new PatrolPlausibility.Point(Start.AddMinutes(60), 28.07m, 112.981m),
        };

        Assert.Empty(PatrolPlausibility.Check(track, new PatrolPlausibility.Area(28.07m, 112.98m, 1000)));
    }

    [Fact]
    public void Check_WhenTwoPointsAreTenKilometresAndTenMinutesApart_FlagsImpossibleSpeed()
    {
        var track = new[]
        {
            new PatrolPlausibility.Point(Start, 28.07m, 112.98m),
            new PatrolPlausibility.Point(Start.AddMinutes(10), 28.16m, 112.98m),
            new PatrolPlausibility.Point(Start.AddMinutes(60), 28.16m, 112.98m),
        };

        Assert.Equal([PatrolFlag.ImpossibleSpeed], PatrolPlausibility.Check(track, null));
    }

    [Fact]
    public void Metres_WhenOneThousandthOfADegreeOfLatitude_IsAboutOneHundredAndElevenMetres()
    {
        Assert.InRange(PatrolPlausibility.Metres(28.070m, 112.98m, 28.071m, 112.98m), 110, 112);
    }
}
