using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Dapper;
using MiniExcelLibs;
using MySqlConnector;

namespace Association.Tests.Members;

public sealed class MembersApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn LeaderGj01 { get; set; } = null!;
    private SignedIn VillageAdminGj { get; set; } = null!;
    private SignedIn SubDistrictAdmin { get; set; } = null!;
    private long GridGj01 { get; set; }
    private long GridGj02 { get; set; }

    public async Task InitializeAsync()
    {
        LeaderGj01 = await app.GridLeaderAsync("TX-DTP-GJ-01");
        VillageAdminGj = await app.VillageAdminAsync("TX-DTP-GJ");
        SubDistrictAdmin = await app.SubDistrictAdminAsync();
        GridGj01 = await app.UnitAsync("TX-DTP-GJ-01");
        GridGj02 = await app.UnitAsync("TX-DTP-GJ-02");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Member_WhenLivingThroughSuspendReinstateMoveAndLeave_KeepsItsHistory()
    {
        var (_, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01, "王五");
        var admin = VillageAdminGj.Client;

        var suspended = await admin.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("连续三月未参加巡防"));
        var suspendAgain = await admin.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("再次"));
        var reinstated = await admin.PostAsJsonAsync($"/api/members/{member.Id}/reinstate", new ReasonRequest("恢复参加活动"));
        var moved = await admin.PostAsJsonAsync($"/api/members/{member.Id}/move", new MoveRequest(GridGj02, "搬家到第2网格"));
        var left = await admin.PostAsJsonAsync($"/api/members/{member.Id}/leave", new ReasonRequest("本人申请退会"));

        Assert.Equal(MemberStatus.Suspended, (await suspended.Content.ReadFromJsonAsync<MemberView>())!.Status);
        await suspendAgain.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(MemberStatus.Active, (await reinstated.Content.ReadFromJsonAsync<MemberView>())!.Status);
        Assert.Equal(GridGj02, (await moved.Content.ReadFromJsonAsync<MemberView>())!.GridId);
        Assert.Equal(MemberStatus.Left, (await left.Content.ReadFromJsonAsync<MemberView>())!.Status);
        await using var connection = await app.Db.OpenConnectionAsync();
        var history = (await connection.QueryAsync<(string Kind, long? From, long? To)>(
            "SELECT kind, from_grid_id, to_grid_id FROM member_events WHERE member_id = @id ORDER BY id", new { id = member.Id })).ToList();
        Assert.Equal(["Joined", "ArmbandIssued", "Suspended", "Reinstated", "Moved", "Left"], history.Select(h => h.Kind));
        Assert.Contains(history, h => h.Kind == "Moved" && h.From == GridGj01 && h.To == GridGj02);
    }

    [Fact]
    public async Task History_WhenAMemberWasSuspended_TheMemberAndTheirLeadersReadWhyAndOthersCannot()
    {
        var (person, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01, "孔六");
        var otherVillage = await app.VillageAdminAsync("TX-DTP-XL");
        var stranger = await app.SignInAsync("history-stranger-" + Guid.NewGuid().ToString("N")[..6]);
        (await VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("连续三月未参加巡防"))).EnsureSuccessStatusCode();
        (await VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{member.Id}/move", new MoveRequest(GridGj02, "搬家到第2网格"))).EnsureSuccessStatusCode();

        var mine = (await person.Client.GetFromJsonAsync<List<MemberEvent>>("/api/members/me/history"))!;
        var byLeader = (await LeaderGj01.Client.GetAsync($"/api/members/{member.Id}/history"));
        var byAdmin = (await VillageAdminGj.Client.GetFromJsonAsync<List<MemberEvent>>($"/api/members/{member.Id}/history"))!;
        var byOtherVillage = await otherVillage.Client.GetAsync($"/api/members/{member.Id}/history");
        var missing = await otherVillage.Client.GetAsync("/api/members/987654321/history");
        var notMember = await stranger.Client.GetAsync("/api/members/me/history");

        Assert.Equal([MemberEventKind.Moved, MemberEventKind.Suspended, MemberEventKind.ArmbandIssued, MemberEventKind.Joined], mine.Select(e => e.Kind));
        Assert.Equal("连续三月未参加巡防", mine.Single(e => e.Kind == MemberEventKind.Suspended).Reason);
        var move = mine.Single(e => e.Kind == MemberEventKind.Moved);
        Assert.Equal((GridGj01, GridGj02, VillageAdminGj.UserId), (move.FromGridId!.Value, move.ToGridId!.Value, move.ByUserId!.Value));
        Assert.False(string.IsNullOrEmpty(move.ToGridName));
        Assert.Equal(mine, byAdmin);
        // The member moved out of the leader's grid: its leader no longer sees them, or their history.
        await byLeader.AssertProblemAsync(HttpStatusCode.NotFound);
        var outOfScope = await byOtherVillage.AssertProblemAsync(HttpStatusCode.NotFound);
        var none = await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((none.Code(), none.GetProperty("detail").GetString()), (outOfScope.Code(), outOfScope.GetProperty("detail").GetString()));
        await notMember.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LeaveAssociation_WhenMemberLeavesThemselves_IsRecordedAsLeft()
    {
        var (person, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01);
        var stranger = await app.SignInAsync("not-a-member-" + Guid.NewGuid().ToString("N")[..6]);

        var left = await person.Client.PostAsJsonAsync("/api/members/me/leave", new ReasonRequest("工作调动"));
        var again = await person.Client.PostAsJsonAsync("/api/members/me/leave", new ReasonRequest("工作调动"));
        var notMember = await stranger.Client.PostAsJsonAsync("/api/members/me/leave", new ReasonRequest("工作调动"));

        Assert.Equal(MemberStatus.Left, (await left.Content.ReadFromJsonAsync<MemberView>())!.Status);
        Assert.Equal(member.Id, (await person.Client.GetFromJsonAsync<MemberView>("/api/members/me"))!.Id);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        await notMember.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MoveMember_WhenTargetGridIsOutsideCallersScope_Returns400NamingGridId()
    {
        var (_, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01);

        var response = await VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{member.Id}/move",
            new MoveRequest(await app.UnitIdAsync("TX-DTP-DT-01"), "搬到大托村"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("gridId", out _));
    }

    [Fact]
    public async Task SuspendMember_WhenMemberIsInAnotherGrid_Returns404()
    {
        var (_, member) = await app.NewMemberAsync(VillageAdminGj, GridGj02);

        var response = await LeaderGj01.Client.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("不在我的网格"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListMembers_WhenGridLeaderSearches_SeesOnlyTheirGridWithTotalsAndPaging()
    {
        await app.NewMemberAsync(VillageAdminGj, GridGj01, "赵一");
        await app.NewMemberAsync(VillageAdminGj, GridGj01, "赵二");
        await app.NewMemberAsync(VillageAdminGj, GridGj02, "赵三");

        var page = (await LeaderGj01.Client.GetFromJsonAsync<MemberPage>("/api/members?name=赵&pageSize=1"))!;
        var villageWide = (await VillageAdminGj.Client.GetFromJsonAsync<MemberPage>("/api/members?name=赵&pageSize=100"))!;

        Assert.Single(page.Items);
        Assert.Equal(2, page.Total);
        Assert.All(page.Items, m => Assert.Equal(GridGj01, m.GridId));
        Assert.Equal(3, villageWide.Total);
    }

    [Fact]
    public async Task ListMembers_WhenSearchingByNumberOrWildcard_MatchesExactly()
    {
        var (_, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01, "钱七");

        var byNumber = (await VillageAdminGj.Client.GetFromJsonAsync<MemberPage>($"/api/members?number={member.MemberNumber}"))!;
        var wildcard = (await VillageAdminGj.Client.GetFromJsonAsync<MemberPage>("/api/members?name=%25"))!;

        Assert.Equal(member.Id, Assert.Single(byNumber.Items).Id);
        Assert.Empty(wildcard.Items);
    }

    [Fact]
    public async Task ListMembers_WhenResidentWithoutRoleAsks_ReturnsNothing()
    {
        await app.NewMemberAsync(VillageAdminGj, GridGj01);
        var resident = await app.SignInAsync("curious-resident");

        var page = (await resident.Client.GetFromJsonAsync<MemberPage>("/api/members"))!;

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task ExportMembers_WhenAdminExports_GivesXlsxWithMaskedNumbersOnly()
    {
        var (_, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01, "孙八");

        var response = await VillageAdminGj.Client.GetAsync("/api/members/export?name=孙八");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MemberExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        await using var sheet = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal(member.MemberNumber, row["会员编号"]);
        Assert.Equal(member.IdNumberMasked, row["身份证号"]);
        Assert.Equal(member.PhoneMasked, row["手机"]);
        Assert.Equal("正常", row["状态"]);
        ProblemAssertions.AssertNoEnglishIn(rows);
        await using var connection = await app.Db.OpenConnectionAsync();
        var audit = await connection.QuerySingleAsync<(string Kind, string Parameters, int RowsWritten)>(
            "SELECT kind, parameters, rows_written FROM data_exports WHERE by_user_id = @userId ORDER BY id DESC LIMIT 1", new { userId = VillageAdminGj.UserId });
        Assert.Equal(("MemberList", "按姓名", 1), audit);
    }

    [Fact]
    public async Task ExportMembers_WhenTheCallerHoldsNoRole_IsRefused()
    {
        var resident = await app.ResidentAsync();

        var response = await resident.Client.GetAsync("/api/members/export");

        Assert.Equal("membership.export.notStaff", (await response.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
    }

    [Fact]
    public async Task RevealPersonalData_WhenTheMemberIsOutsideTheCallersScope_AnswersAsForAMissingMember()
    {
        var (_, member) = await app.NewMemberAsync("TX-DTP-GJ-01");
        var otherVillage = await app.VillageAdminAsync("TX-DTP-XL");
        var resident = await app.ResidentAsync();
        var request = new RevealRequest(PersonalField.IdNumber, "核对保险名单");

        var missing = await otherVillage.Client.PostAsJsonAsync("/api/members/987654321/reveal", request);
        var byOtherVillage = await otherVillage.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", request);
        var byResident = await resident.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", request);

        var expected = await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        foreach (var answer in new[] { byOtherVillage, byResident })
        {
            var problem = await answer.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(expected.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
            Assert.Equal(expected.GetProperty("detail").GetString()!.Replace("987654321", member.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
                problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task RevealPersonalData_WhenSubDistrictAdminStatesPurpose_ShowsFullValueAndAuditsIt()
    {
        var person = await app.SignInAsync("reveal-" + Guid.NewGuid().ToString("N")[..8]);
        var id = TestPeople.IdNumber();
        var application = await person.ApplyAsync(TestPeople.Application(GridGj01, id));
        (await VillageAdminGj.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();
        var memberId = (await person.Client.GetFromJsonAsync<MemberView>("/api/members/me"))!.Id;

        var noPurpose = await SubDistrictAdmin.Client.PostAsJsonAsync($"/api/members/{memberId}/reveal", new RevealRequest(PersonalField.IdNumber, ""));
        var byVillageAdmin = await VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{memberId}/reveal", new RevealRequest(PersonalField.IdNumber, "核对保险名单"));
        var revealed = await SubDistrictAdmin.Client.PostAsJsonAsync($"/api/members/{memberId}/reveal", new RevealRequest(PersonalField.IdNumber, "核对保险名单"));

        await noPurpose.AssertProblemAsync(HttpStatusCode.BadRequest);
        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(id, (await revealed.Content.ReadFromJsonAsync<RevealResponse>())!.Value);
        await using var connection = await app.Db.OpenConnectionAsync();
        var outcomes = await connection.QueryAsync<string>("SELECT outcome FROM personal_data_reveals WHERE member_id = @memberId ORDER BY id", new { memberId });
        Assert.Equal(["Refused", "Revealed"], outcomes);
    }

    [Fact]
    public async Task RevealAudit_WhenSomeoneTriesToRewriteIt_IsRefusedByTheDatabase()
    {
        var (_, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01);
        (await SubDistrictAdmin.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", new RevealRequest(PersonalField.Phone, "通知保险理赔"))).EnsureSuccessStatusCode();
        await using var connection = await app.Db.OpenConnectionAsync();

        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("UPDATE personal_data_reveals SET purpose = 'x'"));
        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("DELETE FROM personal_data_reveals"));
    }

    [Fact]
    public async Task EraseMyPersonalData_WhenMemberAsks_DestroysNameIdAndPhoneButKeepsTheMemberRow()
    {
        var user = "eraser-" + Guid.NewGuid().ToString("N")[..8];
        var (person, member) = await app.NewMemberAsync(VillageAdminGj, GridGj01, "周九", user);

        var response = await person.Client.PostAsync("/api/members/me/erase", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await person.Client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var view = (await VillageAdminGj.Client.GetFromJsonAsync<MemberView>($"/api/members/{member.Id}"))!;
        Assert.Equal(MemberStatus.Erased, view.Status);
        Assert.Null(view.RealName);
        Assert.Null(view.IdNumberMasked);
        Assert.Equal(member.MemberNumber, view.MemberNumber);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM members WHERE id = @id AND (phone_cipher IS NOT NULL OR id_number_cipher IS NOT NULL OR id_number_hmac IS NOT NULL OR address IS NOT NULL)
            """, new { id = member.Id }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE openid = @openId", new { openId = person.OpenId }));
        var again = await app.SignInAsync(user);
        Assert.NotEqual(person.UserId, again.UserId);
        Assert.True(again.Session.IsNewUser);
    }

    [Fact]
    public async Task DatabaseDump_AfterApplicationsAndMembers_HoldsNoPlaintextIdNumberOrPhone()
    {
        var secrets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var person = await app.SignInAsync("dump-" + Guid.NewGuid().ToString("N")[..8]);
            var request = TestPeople.Application(GridGj01);
            secrets.Add(request.IdNumber!);
            secrets.Add(request.Phone!);
            var application = await person.ApplyAsync(request);
            if (i < 2)
            {
                (await VillageAdminGj.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();
            }
        }

        var dump = await DumpAsync();

        Assert.All(app.Logs.Lines, line => Assert.All(secrets, secret => Assert.DoesNotContain(secret, line)));
        Assert.Contains("membership_applications", dump);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, dump));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret[^8..], dump));
    }

    private async Task<string> DumpAsync()
    {
        var settings = new MySqlConnectionStringBuilder(app.ConnectionString);
        var start = new ProcessStartInfo("mariadb-dump")
        {
            ArgumentList = { "--no-defaults", "-h", settings.Server, "-P", settings.Port.ToString(), "-u", settings.UserID, "--skip-extended-insert", app.DatabaseName },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["MYSQL_PWD"] = settings.Password },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output;
    }
}
