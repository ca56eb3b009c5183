using System.Net;
using System.Net.Http.Json;
using Association.Api.Events;
using Association.Api.Notifications;
using Association.Api.Points;
using Association.Tests.Infrastructure;

namespace Association.Tests.Events;

public sealed class EventsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private const string Grid = "TX-DTP-XF-01";
    private const decimal Lat = 28.1540m;
    private const decimal Lng = 112.9900m;
    private SignedIn Leader { get; set; } = null!;
    private long GridId { get; set; }

    public async Task InitializeAsync()
    {
        Leader = await app.GridLeaderAsync(Grid);
        GridId = await app.UnitAsync(Grid);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private NewEventRequest Event(int capacity = 10, int waitlist = 5, EventAudience audience = EventAudience.Members, TimeSpan? length = null)
    {
        var start = app.Clock.Now.AddMinutes(5);
        return new NewEventRequest(GridId, EventKind.Patrol, "夜间群防群治巡逻", "沿主街巡查", "社区服务中心门口", Lat, Lng, 200,
            start, start + (length ?? TimeSpan.FromHours(2)), start.AddMinutes(-1), capacity, waitlist, audience);
    }

    private async Task<EventView> CreateAsync(NewEventRequest request)
    {
        var response = await Leader.Client.PostAsJsonAsync("/api/events", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EventView>())!;
    }

    private static Task<HttpResponseMessage> SignUpAsync(SignedIn person, long eventId, bool waitlist = true) =>
        person.Client.PostAsJsonAsync($"/api/events/{eventId}/signups", new SignupRequest(waitlist));

    private async Task<string> CodeAsync(long eventId) =>
        (await Leader.Client.GetFromJsonAsync<CheckInCode>($"/api/events/{eventId}/check-in-code"))!.Code;

    [Fact]
    public async Task CheckIn_WhenCodeIsOldForgedOrOfAnotherEvent_OnlyTheCurrentCodeOfThisEventIsAccepted()
    {
        var patrol = await CreateAsync(Event());
        var other = await CreateAsync(Event() with { Title = "消防演练" });
        var (member, _) = await app.NewMemberAsync(Grid);
        (await SignUpAsync(member, patrol.Id)).EnsureSuccessStatusCode();
        var old = await CodeAsync(patrol.Id);
        var forged = old[..^3] + (old[^3..] == "AAA" ? "BBB" : "AAA");

        var ofOther = await member.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(await CodeAsync(other.Id), null, null));
        var withForged = await member.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(forged, null, null));
        app.Clock.Advance(TimeSpan.FromSeconds(65));
        var withOld = await member.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(old, null, null));
        var current = await member.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(await CodeAsync(patrol.Id), null, null));
        var twice = await member.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(await CodeAsync(patrol.Id), null, null));

        (await ofOther.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("code", "events.checkIn.otherEvent");
        (await withForged.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("code", "events.checkIn.codeInvalid");
        (await withOld.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("code", "events.checkIn.codeExpired");
        var checkedIn = (await current.Content.ReadFromJsonAsync<SignupView>())!;
        Assert.Equal((CheckInMethod.Code, true), (checkedIn.CheckInMethod!.Value, checkedIn.CheckedInAt is not null));
        Assert.Equal("events.checkIn.already", (await twice.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Fact]
    public async Task SignUp_WhenFullAndAPlaceFrees_TheFirstOnTheWaitingListTakesItAndIsTold()
    {
        var patrol = await CreateAsync(Event(capacity: 1, waitlist: 2));
        var first = (await app.NewMemberAsync(Grid)).Person;
        var second = (await app.NewMemberAsync(Grid)).Person;
        var third = (await app.NewMemberAsync(Grid)).Person;
        var fourth = (await app.NewMemberAsync(Grid)).Person;

        var placed = (await (await SignUpAsync(first, patrol.Id)).Content.ReadFromJsonAsync<SignupView>())!;
        var waiting = (await (await SignUpAsync(second, patrol.Id)).Content.ReadFromJsonAsync<SignupView>())!;
        var noWait = await SignUpAsync(fourth, patrol.Id, waitlist: false);
        (await SignUpAsync(third, patrol.Id)).EnsureSuccessStatusCode();
        var queueFull = await SignUpAsync(fourth, patrol.Id);
        var again = await SignUpAsync(first, patrol.Id);
        (await first.Client.DeleteAsync($"/api/events/{patrol.Id}/signups/mine")).EnsureSuccessStatusCode();

        Assert.Equal((SignupState.Confirmed, SignupState.Waiting), (placed.State, waiting.State));
        Assert.Equal("events.signup.full", (await noWait.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("events.signup.full", (await queueFull.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("events.signup.already", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(SignupState.Confirmed, (await second.Client.GetFromJsonAsync<EventView>($"/api/events/{patrol.Id}"))!.MySignup!.State);
        Assert.Equal(SignupState.Waiting, (await third.Client.GetFromJsonAsync<EventView>($"/api/events/{patrol.Id}"))!.MySignup!.State);
        var counts = (await Leader.Client.GetFromJsonAsync<EventView>($"/api/events/{patrol.Id}"))!;
        Assert.Equal((1, 1), (counts.SignedUp, counts.Waiting));
        Assert.Contains((await second.InboxAsync()).Items, n => n.Kind == NotificationKind.EventPromoted && n.Body.Contains(patrol.Title));
        Assert.DoesNotContain((await third.InboxAsync()).Items, n => n.Kind == NotificationKind.EventPromoted);
    }

    [Fact]
    public async Task SignUp_When100RaceForTheLastPlace_ExactlyOneGetsIt()
    {
        var open = await CreateAsync(Event(capacity: 1, waitlist: 0, audience: EventAudience.Public) with { Title = "平安宣传志愿服务" });
        var residents = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => app.SignInAsync($"race-{open.Id}-{i}")));

        var answers = await Task.WhenAll(residents.Select(r => SignUpAsync(r, open.Id)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(99, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var signups = (await Leader.Client.GetFromJsonAsync<List<SignupView>>($"/api/events/{open.Id}/signups"))!;
        Assert.Single(signups);
        Assert.Equal(1, (await Leader.Client.GetFromJsonAsync<EventView>($"/api/events/{open.Id}"))!.SignedUp);
    }

    [Fact]
    public async Task ConfirmAttendance_WhenConfirmedTwiceAtOnce_EachAttendingMemberEarnsOnceWithTheServiceTime()
    {
        var patrol = await CreateAsync(Event(length: TimeSpan.FromMinutes(40)));
        var (present, presentMember) = await app.NewMemberAsync(Grid);
        var (absent, absentMember) = await app.NewMemberAsync(Grid);
        var (far, _) = await app.NewMemberAsync(Grid);
        foreach (var person in new[] { present, absent, far })
        {
            (await SignUpAsync(person, patrol.Id)).EnsureSuccessStatusCode();
        }
        (await present.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(null, Lat + 0.0005m, Lng))).EnsureSuccessStatusCode();
        var outside = await far.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(null, Lat + 0.05m, Lng));
        var early = await Leader.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/attendance", new AttendanceRequest(null, null));
        using var later = app.Clock.TravelTo(new DateTimeOffset(DateTime.SpecifyKind(patrol.StartsAt, DateTimeKind.Utc)).AddMinutes(25));
        var checkedOut = (await (await present.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-out",
            new EventCheckInRequest(null, Lat, Lng + 0.0005m))).Content.ReadFromJsonAsync<SignupView>())!;

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Leader.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/attendance", new AttendanceRequest(null, null))));

        (await outside.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("lat", "events.checkIn.outsideArea");
        Assert.Equal("events.attendance.notStarted", (await early.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.NotNull(checkedOut.CheckedOutAt);
        var done = Assert.Single(both, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal("events.attendance.confirmed", (await Assert.Single(both, r => r != done).AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        var result = (await done.Content.ReadFromJsonAsync<AttendanceResult>())!;
        Assert.Equal((1, 2, 1), (result.Attended, result.NoShows, result.Awarded));
        Assert.Equal((Attendance.Attended, 25), (result.Signups.Single(s => s.MemberId == presentMember.Id).Attendance!.Value,
            result.Signups.Single(s => s.MemberId == presentMember.Id).Minutes!.Value));
        Assert.Equal(Attendance.NoShow, result.Signups.Single(s => s.MemberId == absentMember.Id).Attendance);
        var entry = Assert.Single((await present.Client.GetFromJsonAsync<PointStatement>("/api/points/me"))!.Entries);
        Assert.Equal((WorkKind.EventAttended, AwardSourceKind.Event, 5), (entry.WorkKind!.Value, entry.SourceKind!.Value, entry.Points));
        Assert.Empty((await absent.Client.GetFromJsonAsync<PointStatement>("/api/points/me"))!.Entries);
        var hours = (await present.Client.GetFromJsonAsync<ServiceHours>("/api/events/service-hours"))!;
        Assert.Equal((25, 1), (hours.Minutes, hours.Events));
        Assert.DoesNotContain(await PointsInvariant.CheckAsync(app.Db), d => d.MemberId == presentMember.Id);
    }

    [Fact]
    public async Task Events_WhenCallerIsOutOfScope_AnswerAsIfThereWereNone()
    {
        var patrol = await CreateAsync(Event());
        var otherLeader = await app.GridLeaderAsync("TX-DTP-XF-02");
        var (otherMember, _) = await app.NewMemberAsync("TX-DTP-XF-02");
        var resident = await app.ResidentAsync();

        await (await otherLeader.Client.GetAsync($"/api/events/{patrol.Id}/check-in-code")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherLeader.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/attendance", new AttendanceRequest(null, null)))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await SignUpAsync(otherMember, patrol.Id)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await resident.Client.GetAsync($"/api/events/{patrol.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherLeader.Client.PostAsJsonAsync("/api/events", Event() with { Title = "别的网格" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("endsAt")]
    [InlineData("signupDeadline")]
    [InlineData("capacity")]
    [InlineData("radiusMeters")]
    public async Task CreateEvent_WhenInputIsWrong_Returns400NamingTheField(string field)
    {
        var good = Event();
        var bad = field switch
        {
            "title" => good with { Title = " " },
            "endsAt" => good with { EndsAt = good.StartsAt.AddMinutes(-1) },
            "signupDeadline" => good with { SignupDeadline = good.StartsAt.AddMinutes(1) },
            "capacity" => good with { Capacity = 0 },
            _ => good with { RadiusMeters = null },
        };

        var problem = await (await Leader.Client.PostAsJsonAsync("/api/events", bad)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task EditEvent_WhenMovedAndEnlarged_TheWaitingListTakesThePlacesInOrderAndEveryoneIsTold()
    {
        var patrol = await CreateAsync(Event(capacity: 1, waitlist: 3));
        var first = (await app.NewMemberAsync(Grid)).Person;
        var second = (await app.NewMemberAsync(Grid)).Person;
        var third = (await app.NewMemberAsync(Grid)).Person;
        foreach (var person in new[] { first, second, third })
        {
            (await SignUpAsync(person, patrol.Id)).EnsureSuccessStatusCode();
        }
        var later = app.Clock.Now.AddDays(1);
        var edit = new EditEventRequest("夜间巡逻（改期）", null, "村委会广场", later, later.AddHours(2), later.AddHours(-1), 2, 3);

        var shrunk = await Leader.Client.PutAsJsonAsync($"/api/events/{patrol.Id}", edit with { Capacity = 0 });
        var byOther = await (await app.GridLeaderAsync("TX-DTP-XF-02")).Client.PutAsJsonAsync($"/api/events/{patrol.Id}", edit);
        var edited = (await (await Leader.Client.PutAsJsonAsync($"/api/events/{patrol.Id}", edit)).Content.ReadFromJsonAsync<EventView>())!;

        (await shrunk.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("capacity", "validation.number.range");
        await byOther.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((2, 1, "村委会广场"), (edited.SignedUp, edited.Waiting, edited.Place));
        Assert.Equal(SignupState.Confirmed, (await second.Client.GetFromJsonAsync<EventView>($"/api/events/{patrol.Id}"))!.MySignup!.State);
        Assert.Equal(SignupState.Waiting, (await third.Client.GetFromJsonAsync<EventView>($"/api/events/{patrol.Id}"))!.MySignup!.State);
        foreach (var person in new[] { first, second, third })
        {
            Assert.Single((await person.InboxAsync()).Items, n => n.Kind == NotificationKind.EventChanged && n.Body.Contains("村委会广场"));
        }
        var tooSmall = await Leader.Client.PutAsJsonAsync($"/api/events/{patrol.Id}", edit with { Capacity = 1 });
        (await tooSmall.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("capacity", "events.event.capacityBelowSignups");
    }

    [Fact]
    public async Task CancelEvent_WhenTheOrganiserCancels_ParticipantsAreToldWhyAndNoOneSignsUpOrChecksInAnyMore()
    {
        var patrol = await CreateAsync(Event());
        var (member, _) = await app.NewMemberAsync(Grid);
        var (late, _) = await app.NewMemberAsync(Grid);
        (await SignUpAsync(member, patrol.Id)).EnsureSuccessStatusCode();

        var cancelled = (await (await Leader.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/cancel", new CancelEventRequest("暴雨预警，活动取消")))
            .Content.ReadFromJsonAsync<EventView>())!;
        var again = await Leader.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/cancel", new CancelEventRequest("再次取消"));
        var signUp = await SignUpAsync(late, patrol.Id);
        var checkIn = await member.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/check-in", new EventCheckInRequest(null, Lat, Lng));

        Assert.Equal((EventStatus.Cancelled, "暴雨预警，活动取消"), (cancelled.Status, cancelled.CancelReason));
        Assert.Equal("events.event.notCancellable", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.True(signUp.StatusCode is HttpStatusCode.Conflict, signUp.StatusCode.ToString());
        Assert.True(checkIn.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, checkIn.StatusCode.ToString());
        Assert.Single((await member.InboxAsync()).Items, n => n.Kind == NotificationKind.EventCancelled && n.Body.Contains("暴雨预警"));
    }

    [Fact]
    public async Task Todos_WhenAnEventIsOverWithoutAttendance_ItsOrganiserIsAskedToConfirmUntilConfirmed()
    {
        var patrol = await CreateAsync(Event(length: TimeSpan.FromMinutes(30)));
        await app.GridLeaderAsync("TX-DTP-XF-02");
        using var over = app.Clock.TravelTo(new DateTimeOffset(DateTime.SpecifyKind(patrol.EndsAt, DateTimeKind.Utc)).AddMinutes(10));
        var leader = await app.SignInAsync(DemoApp.CastUser(Api.Roles.Role.GridLeader, Grid));

        var waiting = (await leader.Client.GetFromJsonAsync<Api.Todos.Todos>("/api/todos"))!;
        var otherSees = (await (await app.SignInAsync(DemoApp.CastUser(Api.Roles.Role.GridLeader, "TX-DTP-XF-02"))).Client
            .GetFromJsonAsync<Api.Todos.Todos>("/api/todos"))!;
        var listed = (await leader.Client.GetFromJsonAsync<List<EventView>>("/api/events?status=Open&ended=true&pageSize=100"))!;
        (await leader.Client.PostAsJsonAsync($"/api/events/{patrol.Id}/attendance", new AttendanceRequest(null, null))).EnsureSuccessStatusCode();
        var after = (await leader.Client.GetFromJsonAsync<Api.Todos.Todos>("/api/todos"))!;

        var group = Assert.Single(waiting.Groups, g => g.Kind == Api.Todos.TodoKind.EventsToConfirm);
        var item = Assert.Single(group.First, i => i.Id == patrol.Id);
        Assert.Equal(("POST", $"/api/events/{patrol.Id}/attendance"), (item.Act.Method, item.Act.Path));
        Assert.DoesNotContain(otherSees.Groups.Where(g => g.Kind == Api.Todos.TodoKind.EventsToConfirm).SelectMany(g => g.First), i => i.Id == patrol.Id);
        Assert.Contains(listed, e => e.Id == patrol.Id);
        Assert.DoesNotContain(after.Groups.Where(g => g.Kind == Api.Todos.TodoKind.EventsToConfirm).SelectMany(g => g.First), i => i.Id == patrol.Id);
    }

    [Fact]
    public async Task SignUp_WhenRetriedWithItsKeyAfterTheAnswerWasLost_GetsTheFirstAnswerAndSignsUpOnce()
    {
        var patrol = await CreateAsync(Event());
        var (member, _) = await app.NewMemberAsync(Grid);
        HttpRequestMessage Keyed(bool failAfterWrite)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{patrol.Id}/signups") { Content = JsonContent.Create(new SignupRequest(true)) };
            request.Headers.Add("Idempotency-Key", "signup-retry");
            if (failAfterWrite)
            {
                request.Headers.Add(FailAfterWrite.Header, "1");
            }
            return request;
        }

        var lost = await member.Client.SendAsync(Keyed(failAfterWrite: true));
        var retry = await member.Client.SendAsync(Keyed(failAfterWrite: false));
        var signups = (await Leader.Client.GetFromJsonAsync<List<SignupView>>($"/api/events/{patrol.Id}/signups"))!;

        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(signups);
    }
}
