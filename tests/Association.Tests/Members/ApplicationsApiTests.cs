using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Notifications;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Members;

public sealed class ApplicationsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn LeaderDt01 { get; set; } = null!;
    private SignedIn LeaderXl01 { get; set; } = null!;
    private SignedIn VillageAdminDt { get; set; } = null!;
    private long GridDt01 { get; set; }
    private long GridXl01 { get; set; }

    public async Task InitializeAsync()
    {
        LeaderDt01 = await app.GridLeaderAsync("TX-DTP-DT-01");
        LeaderXl01 = await app.GridLeaderAsync("TX-DTP-XL-01");
        VillageAdminDt = await app.VillageAdminAsync("TX-DTP-DT");
        GridDt01 = await app.UnitAsync("TX-DTP-DT-01");
        GridXl01 = await app.UnitAsync("TX-DTP-XL-01");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<SignedIn> NewResidentAsync() => app.SignInAsync("resident-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public async Task Apply_WhenValid_CreatesPendingApplicationShowingOnlyMaskedNumbers()
    {
        var resident = await NewResidentAsync();
        var id = TestPeople.IdNumber();
        var phone = TestPeople.Phone();

        var response = await resident.Client.PostAsJsonAsync("/api/membership/applications", TestPeople.Application(GridDt01, id, phone));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(id, body);
        Assert.DoesNotContain(phone, body);
        var view = (await response.Content.ReadFromJsonAsync<ApplicationView>())!;
        Assert.Equal(ApplicationStatus.Pending, view.Status);
        Assert.Equal(id[..3] + new string('*', 11) + id[^4..], view.IdNumberMasked);
        Assert.Equal(phone[..3] + "****" + phone[^4..], view.PhoneMasked);
    }

    public static TheoryData<string, string> BadApplications => new()
    {
        { "idNumber", "wrong check digit" },
        { "idNumber", "17 digits" },
        { "idNumber", "19 digits" },
        { "idNumber", "impossible birth date" },
        { "idNumber", "under 18" },
        { "phone", "10 digits" },
        { "phone", "letters" },
        { "gridId", "unknown grid" },
        { "gridId", "a village, not a grid" },
        { "consent", "no consent" },
        { "consent", "old notice" },
        { "volunteerRoles", "no role" },
        { "realName", "no name" },
    };

    [Theory]
    [MemberData(nameof(BadApplications))]
    public async Task Apply_WhenInputIsWrong_Returns400NamingTheFieldAndStoresNothing(string field, string mistake)
    {
        var resident = await NewResidentAsync();
        var good = TestPeople.Application(GridDt01);
        var valid = good.IdNumber!;
        var wrongCheck = valid[..17] + (valid[17] == '0' ? '1' : '0');
        var bad = mistake switch
        {
            "wrong check digit" => good with { IdNumber = wrongCheck },
            "17 digits" => good with { IdNumber = valid[..17] },
            "19 digits" => good with { IdNumber = valid + "1" },
            "impossible birth date" => good with { IdNumber = TestPeople.IdNumber("19850230") },
            "under 18" => good with { IdNumber = TestPeople.IdNumber(app.Clock.Today.AddYears(-17).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)) },
            "10 digits" => good with { Phone = "1390000123" },
            "letters" => good with { Phone = "139abcd1234" },
            "unknown grid" => good with { GridId = 987654321 },
            "a village, not a grid" => good with { GridId = await app.UnitIdAsync("TX-DTP-DT") },
            "no consent" => good with { Consent = false },
            "old notice" => good with { PrivacyNoticeVersion = "2019-01" },
            "no role" => good with { VolunteerRoles = [] },
            "no name" => good with { RealName = " " },
            _ => throw new ArgumentOutOfRangeException(nameof(mistake)),
        };

        var response = await resident.Client.PostAsJsonAsync("/api/membership/applications", bad);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Empty((await resident.Client.GetFromJsonAsync<List<ApplicationView>>("/api/membership/applications/mine"))!);
    }

    [Fact]
    public async Task Apply_WhenPhoneComesFromWeChatCode_StoresThatNumber()
    {
        var resident = await NewResidentAsync();

        var view = await resident.ApplyAsync(TestPeople.Application(GridDt01) with { Phone = null, PhoneCode = "phone:13712345678" });

        Assert.Equal("137****5678", view.PhoneMasked);
    }

    [Fact]
    public async Task Apply_WhenAnApplicationIsAlreadyOpen_Returns409()
    {
        var resident = await NewResidentAsync();
        await resident.ApplyAsync(TestPeople.Application(GridDt01));

        var again = await resident.Client.PostAsJsonAsync("/api/membership/applications", TestPeople.Application(GridDt01));

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Apply_WhenAnotherPersonUsesTheSameIdNumber_Returns409()
    {
        var id = TestPeople.IdNumber();
        await (await NewResidentAsync()).ApplyAsync(TestPeople.Application(GridDt01, id));

        var response = await (await NewResidentAsync()).Client.PostAsJsonAsync("/api/membership/applications", TestPeople.Application(GridDt01, id));

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Apply_WhenRetriedWithSameIdempotencyKey_ReturnsTheOriginalResponse()
    {
        var resident = await NewResidentAsync();
        var request = TestPeople.Application(GridDt01);
        var key = Guid.NewGuid().ToString();

        var first = await SendWithKeyAsync(resident, request, key);
        var retry = await SendWithKeyAsync(resident, request, key);
        var otherBody = await SendWithKeyAsync(resident, request with { Address = "别的地址" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        await otherBody.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Single((await resident.Client.GetFromJsonAsync<List<ApplicationView>>("/api/membership/applications/mine"))!);
    }

    [Fact]
    public async Task Apply_WhenSameKeyIsUsedByAnotherCaller_DoesNotReplayTheirResponse()
    {
        var key = Guid.NewGuid().ToString();
        var first = await SendWithKeyAsync(await NewResidentAsync(), TestPeople.Application(GridDt01), key);

        var second = await SendWithKeyAsync(await NewResidentAsync(), TestPeople.Application(GridDt01), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Approve_WhenGridLeaderApproves_CreatesMemberWithNumberAndArmbandAndTellsTheApplicant()
    {
        var resident = await NewResidentAsync();
        var application = await resident.ApplyAsync(TestPeople.Application(GridDt01));
        await resident.AcceptSubscribeAsync("TPL-DECISION");

        var response = await LeaderDt01.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null);
        await app.PushNotificationsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = Assert.Single((await resident.Client.GetFromJsonAsync<List<ApplicationView>>("/api/membership/applications/mine"))!);
        Assert.Equal(ApplicationStatus.Approved, mine.Status);
        var member = (await resident.Client.GetFromJsonAsync<MemberView>("/api/members/me"))!;
        Assert.Equal(mine.MemberId, member.Id);
        Assert.Matches(@"^M\d{4}-\d{6}$", member.MemberNumber);
        Assert.Equal(MemberStatus.Active, member.Status);
        Assert.NotNull(member.ArmbandIssuedOn);
        var inbox = await resident.InboxAsync();
        var decision = Assert.Single(inbox.Items, n => n.Kind == NotificationKind.ApplicationApproved);
        Assert.Contains(member.MemberNumber!, decision.Body);
        Assert.Equal(1, inbox.Unread);
        var told = Assert.Single(app.MessagesTo(resident, "TPL-DECISION"));
        Assert.Contains("已通过", told);
        ProblemAssertions.AssertSubscribeMessageInChinese(told);
    }

    [Fact]
    public async Task Approve_WhenLeaderOfAnotherGrid_Returns404AndCreatesNoMember()
    {
        var application = await (await NewResidentAsync()).ApplyAsync(TestPeople.Application(GridDt01));

        var response = await LeaderXl01.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await CountMembersOfApplicationAsync(application.Id));
    }

    [Fact]
    public async Task Approve_WhenApproverIsTheApplicant_Returns403()
    {
        var leader = await app.SignInWithRoleAsync("self-approver-" + Guid.NewGuid().ToString("N")[..6], Role.GridLeader, "TX-DTP-DT-02");
        var application = await leader.ApplyAsync(TestPeople.Application(await app.UnitIdAsync("TX-DTP-DT-02")));

        var response = await leader.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Approve_WhenAlreadyDecidedOrWithdrawn_Returns409()
    {
        var resident = await NewResidentAsync();
        var approved = await resident.ApplyAsync(TestPeople.Application(GridDt01));
        (await VillageAdminDt.Client.PostAsync($"/api/membership/applications/{approved.Id}/approve", null)).EnsureSuccessStatusCode();
        var other = await NewResidentAsync();
        var withdrawn = await other.ApplyAsync(TestPeople.Application(GridDt01));
        (await other.Client.PostAsync($"/api/membership/applications/{withdrawn.Id}/withdraw", null)).EnsureSuccessStatusCode();

        var twice = await LeaderDt01.Client.PostAsync($"/api/membership/applications/{approved.Id}/approve", null);
        var afterWithdrawal = await LeaderDt01.Client.PostAsync($"/api/membership/applications/{withdrawn.Id}/approve", null);

        await twice.AssertProblemAsync(HttpStatusCode.Conflict);
        await afterWithdrawal.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await CountMembersOfApplicationAsync(approved.Id));
        Assert.Equal(0, await CountMembersOfApplicationAsync(withdrawn.Id));
    }

    [Fact]
    public async Task Approve_WhenManyApproversRace_CreatesExactlyOneMember()
    {
        var application = await (await NewResidentAsync()).ApplyAsync(TestPeople.Application(GridDt01));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? LeaderDt01 : VillageAdminDt).Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await CountMembersOfApplicationAsync(application.Id));
    }

    [Fact]
    public async Task Reject_WhenReasonGiven_ClosesTheApplicationAndTheApplicantSeesWhy()
    {
        var resident = await NewResidentAsync();
        var application = await resident.ApplyAsync(TestPeople.Application(GridDt01));

        var noReason = await LeaderDt01.Client.PostAsJsonAsync($"/api/membership/applications/{application.Id}/reject", new ReasonRequest(""));
        var rejected = await LeaderDt01.Client.PostAsJsonAsync($"/api/membership/applications/{application.Id}/reject", new ReasonRequest("地址不在本网格"));

        var problem = await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var mine = Assert.Single((await resident.Client.GetFromJsonAsync<List<ApplicationView>>("/api/membership/applications/mine"))!);
        Assert.Equal(ApplicationStatus.Rejected, mine.Status);
        Assert.Equal("地址不在本网格", mine.DecisionReason);
        var again = await resident.Client.PostAsJsonAsync("/api/membership/applications", TestPeople.Application(GridDt01));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task ListApplications_WhenGridLeaderAsks_ContainsOnlyTheirGrid()
    {
        await (await NewResidentAsync()).ApplyAsync(TestPeople.Application(GridDt01));
        await (await NewResidentAsync()).ApplyAsync(TestPeople.Application(GridXl01));

        var list = await LeaderXl01.Client.GetFromJsonAsync<List<ApplicationView>>("/api/membership/applications?status=Pending&pageSize=100");

        Assert.NotEmpty(list!);
        Assert.All(list!, a => Assert.Equal(GridXl01, a.GridId));
    }

    [Fact]
    public async Task PrivacyNotice_WhenReadBeforeSigningIn_IsTheVersionAnApplicationConsentsTo()
    {
        var notice = (await app.CreateClient().GetFromJsonAsync<PrivacyNotice>("/api/membership/privacy-notice"))!;
        var resident = await NewResidentAsync();

        var applied = await resident.Client.PostAsJsonAsync("/api/membership/applications",
            TestPeople.Application(GridDt01) with { PrivacyNoticeVersion = notice.Version });

        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        Assert.Contains("身份证号", notice.Text);
        Assert.Contains("删除个人信息", notice.Text);
    }

    [Fact]
    public async Task ListApplications_WhenPageSizeOverCap_Returns400()
    {
        var response = await LeaderDt01.Client.GetAsync("/api/membership/applications?pageSize=101");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(SignedIn person, ApplyRequest request, string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/membership/applications") { Content = JsonContent.Create(request) };
        message.Headers.Add("Idempotency-Key", key);
        return await person.Client.SendAsync(message);
    }

    private async Task<long> CountMembersOfApplicationAsync(long applicationId)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE application_id = @applicationId", new { applicationId });
    }
}
