using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Association.Api.Audit;
using Association.Api.Certificates;
using Association.Api.Events;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Points;
using Association.Tests.Infrastructure;

namespace Association.Tests.Certificates;

public sealed class CertificatesApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Grid = "TX-DTP-XF-01";
    private const decimal Lat = 28.1540m;
    private const decimal Lng = 112.9900m;

    /// <summary>A member who attended one event for 30 minutes (5 points) and took part in one confirmed patrol.</summary>
    private async Task<(SignedIn Person, MemberView Member, SignedIn Leader)> ServedMemberAsync(string name)
    {
        var leader = await app.GridLeaderAsync(Grid);
        var (person, member) = await app.NewMemberAsync(Grid, name);
        var start = app.Clock.Now.AddMinutes(5);
        var created = await leader.Client.PostAsJsonAsync("/api/events", new NewEventRequest(await app.UnitAsync(Grid), EventKind.Publicity,
            "平安宣传进小区", null, "社区服务中心", Lat, Lng, 200, start, start.AddHours(1), start.AddMinutes(-1), 10, 0, EventAudience.Members));
        var e = (await created.Content.ReadFromJsonAsync<EventView>())!;
        (await person.Client.PostAsJsonAsync($"/api/events/{e.Id}/signups", new SignupRequest())).EnsureSuccessStatusCode();
        (await person.Client.PostAsJsonAsync($"/api/events/{e.Id}/check-in", new EventCheckInRequest(null, Lat, Lng))).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromMinutes(35));
        (await person.Client.PostAsJsonAsync($"/api/events/{e.Id}/check-out", new EventCheckInRequest(null, Lat, Lng))).EnsureSuccessStatusCode();
        (await leader.Client.PostAsJsonAsync($"/api/events/{e.Id}/attendance", new AttendanceRequest(null, null))).EnsureSuccessStatusCode();
        await app.ConfirmedPatrolAsync(member.Id, leader.UserId, app.Clock.Now.AddMinutes(-20));
        return (person, member, leader);
    }

    private NewCertificateRequest LastDays(long? memberId = null) => new(memberId, null, app.Clock.Today().AddDays(-2), app.Clock.Today());

    private async Task<CertificateView> IssueAsync(SignedIn by, NewCertificateRequest request)
    {
        var response = await by.Client.PostAsJsonAsync("/api/certificates", request);
        Assert.True(HttpStatusCode.Created == response.StatusCode, string.Join("\n", app.Logs.Lines.Where(l => l.StartsWith("Error"))));
        return (await response.Content.ReadFromJsonAsync<CertificateView>())!;
    }

    private static async Task<byte[]> PdfAsync(SignedIn by, CertificateView certificate)
    {
        var response = await by.Client.GetAsync(certificate.PdfUrl);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task DownloadPdf_WhenTheMemberAsksForTheirOwn_TheTextCarriesTheirFiguresInChineseAndTheQrCodeOpensTheVerification()
    {
        var (person, member, _) = await ServedMemberAsync("张长顺");
        var earned = (await person.Client.GetFromJsonAsync<PointStatement>("/api/points/me"))!.Entries.Sum(e => e.Points);

        var certificate = await IssueAsync(person, LastDays());
        var pdf = await PdfAsync(person, certificate);

        Assert.Equal((30, 0.5m, 1, 1, earned), (certificate.Figures.Minutes, certificate.Figures.Hours, certificate.Figures.EventsAttended,
            certificate.Figures.Patrols, certificate.Figures.PointsEarned));
        Assert.Equal(5, earned);
        Assert.Equal("张长顺", certificate.HolderName);
        var text = PdfContent.Text(pdf);
        Assert.Contains("志愿服务证明", text);
        Assert.Contains($"兹证明 张长顺（会员编号：{member.MemberNumber}）", text);
        Assert.Contains("参加志愿服务活动 1 次", text);
        Assert.Contains("累计服务时长 0.5 小时", text);
        Assert.Contains("参加巡防 1 次", text);
        Assert.Contains("获得积分 5 分", text);
        Assert.Contains("大托铺街道平安创建协会", text);
        Assert.Contains("证书编号：" + certificate.Serial, text);
        var qr = Assert.Single(PdfContent.QrCodes(pdf));
        Assert.Equal(certificate.VerifyUrl, qr);
        var verification = (await app.CreateClient().GetFromJsonAsync<CertificateVerification>(new Uri(qr).PathAndQuery))!;
        Assert.Equal(("张*", false, 30, 1, 5), (verification.HolderName, verification.Revoked, verification.Figures.Minutes,
            verification.Figures.EventsAttended, verification.Figures.PointsEarned));
        Assert.Equal((certificate.PeriodFrom, certificate.PeriodUntil), (verification.PeriodFrom, verification.PeriodUntil));
    }

    [Fact]
    public async Task Certificates_WhenStaffIssueDownloadAndRevoke_NameIsMaskedDownloadsAreAuditedAndTheVerificationSaysRevoked()
    {
        var (person, member, leader) = await ServedMemberAsync("王小明");
        var otherVillage = await app.VillageAdminAsync("TX-DTP-DT");
        var admin = await app.SubDistrictAdminAsync();

        var outOfScope = await otherVillage.Client.PostAsJsonAsync("/api/certificates", LastDays(member.Id));
        var byStaff = await IssueAsync(leader, LastDays(member.Id));
        var staffPdf = PdfContent.Text(await PdfAsync(leader, byStaff));
        await PdfAsync(person, byStaff);
        var readByOther = await otherVillage.Client.GetAsync($"/api/certificates/{byStaff.Id}");
        var revokeByOther = await otherVillage.Client.PostAsJsonAsync($"/api/certificates/{byStaff.Id}/revoke", new RevokeCertificateRequest("数据有误"));
        var revokeByHolder = await person.Client.PostAsJsonAsync($"/api/certificates/{byStaff.Id}/revoke", new RevokeCertificateRequest("不需要了"));
        var revoked = await leader.Client.PostAsJsonAsync($"/api/certificates/{byStaff.Id}/revoke", new RevokeCertificateRequest("活动记录有误，重新出具"));
        var again = await leader.Client.PostAsJsonAsync($"/api/certificates/{byStaff.Id}/revoke", new RevokeCertificateRequest("再次撤销"));
        var download = await person.Client.GetAsync(byStaff.PdfUrl);

        await outOfScope.AssertProblemAsync(HttpStatusCode.NotFound);
        await readByOther.AssertProblemAsync(HttpStatusCode.NotFound);
        await revokeByOther.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("certificates.revoke.notStaff", (await revokeByHolder.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.Equal("王*", byStaff.HolderName);
        Assert.Contains("兹证明 王*（", staffPdf);
        Assert.DoesNotContain("王小明", staffPdf);
        Assert.Equal("活动记录有误，重新出具", (await revoked.Content.ReadFromJsonAsync<CertificateView>())!.RevokeReason);
        Assert.Equal("certificates.certificate.revoked", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("certificates.certificate.revoked", (await download.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        var verification = (await app.CreateClient().GetFromJsonAsync<CertificateVerification>($"/api/verify/{byStaff.Serial}"))!;
        Assert.True(verification.Revoked);
        var audit = (await admin.Client.GetFromJsonAsync<List<AuditEntry>>("/api/audit?kind=CertificateDownload&pageSize=100"))!;
        var downloads = audit.Where(e => e.CertificateId == byStaff.Id).ToList();
        var entry = Assert.Single(downloads);
        Assert.Equal((leader.UserId, member.Id, member.GridId), (entry.ByUserId!.Value, entry.MemberId!.Value, entry.UnitId));
        var mine = (await person.Client.GetFromJsonAsync<List<CertificateView>>("/api/certificates"))!;
        Assert.Equal(byStaff.Id, Assert.Single(mine).Id);
    }

    [Fact]
    public async Task IssueCertificate_WhenRetriedWithTheSameKey_OneCertificateIsIssued()
    {
        var (person, _) = await app.NewMemberAsync(Grid, "赵一");
        var key = Guid.NewGuid().ToString("N");

        var answers = new List<CertificateView>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/certificates") { Content = JsonContent.Create(LastDays()) };
            request.Headers.Add("Idempotency-Key", key);
            answers.Add((await (await person.Client.SendAsync(request)).Content.ReadFromJsonAsync<CertificateView>())!);
        }

        Assert.Equal(answers[0].Serial, answers[1].Serial);
        Assert.Single((await person.Client.GetFromJsonAsync<List<CertificateView>>("/api/certificates"))!);
        Assert.Equal(0, answers[0].Figures.Minutes);
    }

    [Theory]
    [InlineData("yearAndDays", "year", "certificates.period.yearOrDays")]
    [InlineData("futureYear", "year", "certificates.period.year")]
    [InlineData("noUntil", "until", "certificates.period.required")]
    [InlineData("reversed", "until", "certificates.period.reversed")]
    [InlineData("tooLong", "until", "certificates.period.tooLong")]
    [InlineData("futureFrom", "from", "certificates.period.from")]
    public async Task IssueCertificate_WhenThePeriodIsWrong_Returns400NamingTheField(string wrong, string field, string code)
    {
        var (person, _) = await app.NewMemberAsync(Grid, "钱二");
        var today = app.Clock.Today();
        var request = wrong switch
        {
            "yearAndDays" => new NewCertificateRequest(null, today.Year, today, null),
            "futureYear" => new NewCertificateRequest(null, today.Year + 1, null, null),
            "noUntil" => new NewCertificateRequest(null, null, today, null),
            "reversed" => new NewCertificateRequest(null, null, today, today.AddDays(-1)),
            "tooLong" => new NewCertificateRequest(null, null, today.AddYears(-11), today),
            _ => new NewCertificateRequest(null, null, today.AddDays(1), today.AddDays(2)),
        };

        var problem = await (await person.Client.PostAsJsonAsync("/api/certificates", request)).AssertProblemAsync(HttpStatusCode.BadRequest);

        problem.AssertFieldCode(field, code);
        Assert.Empty((await person.Client.GetFromJsonAsync<List<CertificateView>>("/api/certificates"))!);
    }

    [Fact]
    public async Task Verify_WhenABrowserOpensItOrTheSerialIsTypedOrMadeUp_AnswersAPageOurRecordOrNotFound()
    {
        var (person, _) = await app.NewMemberAsync(Grid, "孙长风");
        var certificate = await IssueAsync(person, new NewCertificateRequest(null, app.Clock.Today().Year, null, null));
        var anonymous = app.CreateClient();
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/verify/{certificate.Serial}");
        pageRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        var page = await anonymous.SendAsync(pageRequest);
        var typed = await anonymous.GetFromJsonAsync<CertificateVerification>($"/api/verify/{certificate.Serial.Replace("-", " ").ToLowerInvariant()}");
        var madeUp = await anonymous.GetAsync("/api/verify/0000-0000-0000-0000");
        var hostile = await anonymous.GetAsync("/api/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("记录真实有效", html);
        Assert.Contains("孙*", html);
        Assert.DoesNotContain("孙长风", html);
        Assert.Equal(certificate.Serial, typed!.Serial);
        Assert.Equal(new DateOnly(app.Clock.Today().Year, 1, 1), typed.PeriodFrom);
        Assert.Equal("certificates.certificate.notFound", (await madeUp.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("certificates.certificate.notFound", (await hostile.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
    }
}
