using System.Net;
using System.Net.Http.Json;
using Association.Api.Auth;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Roles;

public sealed class RolesApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn VillageAdmin { get; set; } = null!;

    public async Task InitializeAsync()
    {
        VillageAdmin = await app.VillageAdminAsync("TX-DTP-GJ");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Admin => VillageAdmin.Client;

    private async Task<string> RolesPathAsync(string unitCode) => $"/api/org/units/{await app.UnitIdAsync(unitCode)}/roles";

    [Fact]
    public async Task AssignRole_WhenAdminAboveGrantsGridLeader_ShowsInMeAndSignsTheUserOut()
    {
        var leader = await app.SignInAsync("leader-to-be");

        var response = await Admin.PostAsJsonAsync(await RolesPathAsync("TX-DTP-GJ-01"), new AssignRoleRequest(leader.UserId, Role.GridLeader));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await (await leader.Client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var again = await app.SignInAsync("leader-to-be");
        var me = await again.Client.GetFromJsonAsync<MeResponse>("/api/me");
        var grant = Assert.Single(me!.Roles);
        Assert.Equal(Role.GridLeader, grant.Role);
        Assert.Equal("TX-DTP-GJ-01", grant.OrgUnitCode);
    }

    [Fact]
    public async Task RevokeRole_WhenHeld_RemovesItAuditsBothChangesAndSignsTheUserOut()
    {
        var leader = await app.SignInAsync("short-term");
        var path = await RolesPathAsync("TX-DTP-GJ-02");
        (await Admin.PostAsJsonAsync(path, new AssignRoleRequest(leader.UserId, Role.GridLeader))).EnsureSuccessStatusCode();
        var signedIn = await app.SignInAsync("short-term");

        var response = await Admin.DeleteAsync($"{path}/GridLeader/{leader.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await signedIn.Client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var me = await (await app.SignInAsync("short-term")).Client.GetFromJsonAsync<MeResponse>("/api/me");
        Assert.Empty(me!.Roles);
        await using var connection = await app.Db.OpenConnectionAsync();
        var changes = await connection.QueryAsync<string>(
            "SELECT change_kind FROM role_changes WHERE user_id = @userId ORDER BY id", new { userId = leader.UserId });
        Assert.Equal(["Assigned", "Revoked"], changes);
    }

    [Fact]
    public async Task AssignRole_WhenRoleDoesNotFitTheUnitKind_Returns400NamingRole()
    {
        var someone = await app.SignInAsync("misfit");

        var response = await Admin.PostAsJsonAsync(await RolesPathAsync("TX-DTP-GJ-01"), new AssignRoleRequest(someone.UserId, Role.VillageAdmin));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("12345")]
    [InlineData("0")]
    [InlineData("\"1\"")]
    public async Task AssignRole_WhenRoleIsANumberOrNotItsName_Returns400NamingRoleAndAssignsNothing(string role)
    {
        var someone = await app.SignInAsync("numeric-role-" + Guid.NewGuid().ToString("N")[..6]);
        var path = await RolesPathAsync("TX-DTP-GJ-01");

        var response = await Admin.PostAsync(path, new StringContent(
            $$"""{"userId":{{someone.UserId}},"role":{{role}}}""", System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _), problem.GetRawText());
        var roles = (await Admin.GetFromJsonAsync<List<RoleAssignment>>(path))!;
        Assert.DoesNotContain(roles, r => r.UserId == someone.UserId);
    }

    [Fact]
    public async Task AssignRole_WhenAdminNamesThemselves_Returns400()
    {
        var response = await Admin.PostAsJsonAsync(await RolesPathAsync("TX-DTP-GJ-01"), new AssignRoleRequest(VillageAdmin.UserId, Role.GridLeader));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _));
    }

    [Fact]
    public async Task AssignRole_WhenUserDoesNotExist_Returns400NamingUserId()
    {
        var response = await Admin.PostAsJsonAsync(await RolesPathAsync("TX-DTP-GJ-01"), new AssignRoleRequest(987654321, Role.GridLeader));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _));
    }

    [Fact]
    public async Task AssignRole_WhenAlreadyHeld_Returns409AndKeepsOneRow()
    {
        var someone = await app.SignInAsync("twice");
        var path = await RolesPathAsync("TX-DTP-GJ-03");
        (await Admin.PostAsJsonAsync(path, new AssignRoleRequest(someone.UserId, Role.GridLeader))).EnsureSuccessStatusCode();

        var again = await Admin.PostAsJsonAsync(path, new AssignRoleRequest(someone.UserId, Role.GridLeader));

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM role_assignments WHERE user_id = @id", new { id = someone.UserId }));
    }

    [Fact]
    public async Task AssignRole_WhenUnitDoesNotExist_Returns404()
    {
        var response = await Admin.PostAsJsonAsync("/api/org/units/987654321/roles", new AssignRoleRequest(1, Role.GridLeader));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AssignRole_WhenBodyCarriesExtraFields_Returns400AndGrantsNothing()
    {
        var someone = await app.SignInAsync("extra");

        var response = await Admin.PostAsync(await RolesPathAsync("TX-DTP-GJ-01"), new StringContent(
            $$"""{"userId":{{someone.UserId}},"role":"GridLeader","orgUnitId":1}""", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM role_assignments WHERE user_id = @id", new { id = someone.UserId }));
    }

    [Theory]
    [InlineData("gridleader")]
    [InlineData("0")]
    [InlineData("Member")]
    public async Task RevokeRole_WhenRoleIsNotOneOfTheNames_Returns400(string role)
    {
        var response = await Admin.DeleteAsync($"{await RolesPathAsync("TX-DTP-GJ-01")}/{role}/1");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RevokeRole_WhenNotHeld_Returns404()
    {
        var response = await Admin.DeleteAsync($"{await RolesPathAsync("TX-DTP-GJ-01")}/GridLeader/987654321");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task FirstAdmin_WhenRunTwice_GrantsOneRoleAndRefusesNonSubDistricts()
    {
        var first = await FirstAdmin.GrantAsync(app.Db, "o-bootstrap-admin", "TX-DTP", app.Clock);
        var second = await FirstAdmin.GrantAsync(app.Db, "o-bootstrap-admin", "TX-DTP", app.Clock);

        Assert.Equal(first, second);
        await Assert.ThrowsAsync<ArgumentException>(() => FirstAdmin.GrantAsync(app.Db, "o-bootstrap-admin", "TX-DTP-GJ", app.Clock));
        await Assert.ThrowsAsync<ArgumentException>(() => FirstAdmin.GrantAsync(app.Db, "", "TX-DTP", app.Clock));
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM role_assignments WHERE user_id = @id", new { id = first }));
    }
}
