using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Platform.Auth;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Dapper;
using MiniExcelLibs;
using MySqlConnector;

namespace Association.Tests.Members;

public sealed class MembersApiTests(MembersApiTests.App app) : IClassFixture<MembersApiTests.App>
{
    public sealed class App : AssociationApp
    {
        public SignedIn LeaderGj01 { get; private set; } = null!;
        public SignedIn VillageAdminGj { get; private set; } = null!;
        public SignedIn SubDistrictAdmin { get; private set; } = null!;
        public long GridGj01 { get; private set; }
        public long GridGj02 { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await SeedDemoOrganisationAsync();
            LeaderGj01 = await this.SignInWithRoleAsync("leader-gj01", Role.GridLeader, "TX-DTP-GJ-01");
            VillageAdminGj = await this.SignInWithRoleAsync("admin-gj", Role.VillageAdmin, "TX-DTP-GJ");
            SubDistrictAdmin = await this.SignInWithRoleAsync("admin-dtp", Role.SubDistrictAdmin, "TX-DTP");
            GridGj01 = await this.UnitIdAsync("TX-DTP-GJ-01");
            GridGj02 = await this.UnitIdAsync("TX-DTP-GJ-02");
        }
    }

    [Fact]
    public async Task Member_WhenLivingThroughSuspendReinstateMoveAndLeave_KeepsItsHistory()
    {
        var (_, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01, "王五");
        var admin = app.VillageAdminGj.Client;

        var suspended = await admin.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("连续三月未参加巡防"));
        var suspendAgain = await admin.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("再次"));
        var reinstated = await admin.PostAsJsonAsync($"/api/members/{member.Id}/reinstate", new ReasonRequest("恢复参加活动"));
        var moved = await admin.PostAsJsonAsync($"/api/members/{member.Id}/move", new MoveRequest(app.GridGj02, "搬家到第2网格"));
        var left = await admin.PostAsJsonAsync($"/api/members/{member.Id}/leave", new ReasonRequest("本人申请退会"));

        Assert.Equal(MemberStatus.Suspended, (await suspended.Content.ReadFromJsonAsync<MemberView>())!.Status);
        await suspendAgain.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(MemberStatus.Active, (await reinstated.Content.ReadFromJsonAsync<MemberView>())!.Status);
        Assert.Equal(app.GridGj02, (await moved.Content.ReadFromJsonAsync<MemberView>())!.GridId);
        Assert.Equal(MemberStatus.Left, (await left.Content.ReadFromJsonAsync<MemberView>())!.Status);
        await using var connection = await app.Db.OpenConnectionAsync();
        var history = (await connection.QueryAsync<(string Kind, long? From, long? To)>(
            "SELECT kind, from_grid_id, to_grid_id FROM member_events WHERE member_id = @id ORDER BY id", new { id = member.Id })).ToList();
        Assert.Equal(["Joined", "ArmbandIssued", "Suspended", "Reinstated", "Moved", "Left"], history.Select(h => h.Kind));
        Assert.Contains(history, h => h.Kind == "Moved" && h.From == app.GridGj01 && h.To == app.GridGj02);
    }

    [Fact]
    public async Task LeaveAssociation_WhenMemberLeavesThemselves_IsRecordedAsLeft()
    {
        var (person, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01);
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
        var (_, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01);

        var response = await app.VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{member.Id}/move",
            new MoveRequest(await app.UnitIdAsync("TX-DTP-DT-01"), "搬到大托村"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("gridId", out _));
    }

    [Fact]
    public async Task SuspendMember_WhenMemberIsInAnotherGrid_Returns404()
    {
        var (_, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj02);

        var response = await app.LeaderGj01.Client.PostAsJsonAsync($"/api/members/{member.Id}/suspend", new ReasonRequest("不在我的网格"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListMembers_WhenGridLeaderSearches_SeesOnlyTheirGridWithTotalsAndPaging()
    {
        await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01, "赵一");
        await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01, "赵二");
        await app.NewMemberAsync(app.VillageAdminGj, app.GridGj02, "赵三");

        var page = (await app.LeaderGj01.Client.GetFromJsonAsync<MemberPage>("/api/members?name=赵&pageSize=1"))!;
        var villageWide = (await app.VillageAdminGj.Client.GetFromJsonAsync<MemberPage>("/api/members?name=赵&pageSize=100"))!;

        Assert.Single(page.Items);
        Assert.Equal(2, page.Total);
        Assert.All(page.Items, m => Assert.Equal(app.GridGj01, m.GridId));
        Assert.Equal(3, villageWide.Total);
    }

    [Fact]
    public async Task ListMembers_WhenSearchingByNumberOrWildcard_MatchesExactly()
    {
        var (_, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01, "钱七");

        var byNumber = (await app.VillageAdminGj.Client.GetFromJsonAsync<MemberPage>($"/api/members?number={member.MemberNumber}"))!;
        var wildcard = (await app.VillageAdminGj.Client.GetFromJsonAsync<MemberPage>("/api/members?name=%25"))!;

        Assert.Equal(member.Id, Assert.Single(byNumber.Items).Id);
        Assert.Empty(wildcard.Items);
    }

    [Fact]
    public async Task ListMembers_WhenResidentWithoutRoleAsks_ReturnsNothing()
    {
        await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01);
        var resident = await app.SignInAsync("curious-resident");

        var page = (await resident.Client.GetFromJsonAsync<MemberPage>("/api/members"))!;

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task ExportMembers_WhenAdminExports_GivesXlsxWithMaskedNumbersOnly()
    {
        var (_, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01, "孙八");

        var response = await app.VillageAdminGj.Client.GetAsync("/api/members/export?name=孙八");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MemberExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        await using var sheet = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal(member.MemberNumber, row["会员编号"]);
        Assert.Equal(member.IdNumberMasked, row["身份证号"]);
        Assert.Equal(member.PhoneMasked, row["手机"]);
    }

    [Fact]
    public async Task RevealPersonalData_WhenSubDistrictAdminStatesPurpose_ShowsFullValueAndAuditsIt()
    {
        var person = await app.SignInAsync("reveal-" + Guid.NewGuid().ToString("N")[..8]);
        var id = TestPeople.IdNumber();
        var application = await person.ApplyAsync(TestPeople.Application(app.GridGj01, id));
        (await app.VillageAdminGj.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();
        var memberId = (await person.Client.GetFromJsonAsync<MemberView>("/api/members/me"))!.Id;

        var noPurpose = await app.SubDistrictAdmin.Client.PostAsJsonAsync($"/api/members/{memberId}/reveal", new RevealRequest(PersonalField.IdNumber, ""));
        var byVillageAdmin = await app.VillageAdminGj.Client.PostAsJsonAsync($"/api/members/{memberId}/reveal", new RevealRequest(PersonalField.IdNumber, "核对保险名单"));
        var revealed = await app.SubDistrictAdmin.Client.PostAsJsonAsync($"/api/members/{memberId}/reveal", new RevealRequest(PersonalField.IdNumber, "核对保险名单"));

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
        var (_, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01);
        (await app.SubDistrictAdmin.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", new RevealRequest(PersonalField.Phone, "通知保险理赔"))).EnsureSuccessStatusCode();
        await using var connection = await app.Db.OpenConnectionAsync();

        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("UPDATE personal_data_reveals SET purpose = 'x'"));
        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("DELETE FROM personal_data_reveals"));
    }

    [Fact]
    public async Task EraseMyPersonalData_WhenMemberAsks_DestroysNameIdAndPhoneButKeepsTheMemberRow()
    {
        var user = "eraser-" + Guid.NewGuid().ToString("N")[..8];
        var (person, member) = await app.NewMemberAsync(app.VillageAdminGj, app.GridGj01, "周九", user);

        var response = await person.Client.PostAsync("/api/members/me/erase", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await person.Client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var view = (await app.VillageAdminGj.Client.GetFromJsonAsync<MemberView>($"/api/members/{member.Id}"))!;
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
            var request = TestPeople.Application(app.GridGj01);
            secrets.Add(request.IdNumber!);
            secrets.Add(request.Phone!);
            var application = await person.ApplyAsync(request);
            if (i < 2)
            {
                (await app.VillageAdminGj.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();
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
