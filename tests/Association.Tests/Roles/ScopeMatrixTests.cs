using System.Net;
using System.Net.Http.Json;
using Association.Api.Organisation;
using Association.Api.Roles;
using Association.Tests.Infrastructure;

namespace Association.Tests.Roles;

/// <summary>Each role against objects inside and outside its unit, through the real endpoints.</summary>
public sealed class ScopeMatrixTests(DemoApp app) : IClassFixture<DemoApp>
{
    private Task<SignedIn> ActorAsync(string actor) => actor switch
    {
        "GridLeader" => app.GridLeaderAsync("TX-DTP-DT-01"),
        "VillageAdmin" => app.VillageAdminAsync("TX-DTP-DT"),
        "SubDistrictAdmin" => app.SubDistrictAdminAsync(),
        _ => app.ResidentAsync(),
    };

    // Own grid TX-DTP-DT-01 sits in village TX-DTP-DT; TX-DTP-XL is another village of the same sub-district. A unit the
    // caller holds no role on or above is answered as a missing one: 404, or 400 naming the parent a new unit was to go under;
    // 403 is for a unit the caller sees but may not change.
    public static TheoryData<string, string, HttpStatusCode> Matrix => new()
    {
        { "GridLeader", "list roles of own grid", HttpStatusCode.OK },
        { "VillageAdmin", "list roles of own grid", HttpStatusCode.OK },
        { "SubDistrictAdmin", "list roles of own grid", HttpStatusCode.OK },
        { "Resident", "list roles of own grid", HttpStatusCode.NotFound },
        { "GridLeader", "list roles of other village's grid", HttpStatusCode.NotFound },
        { "VillageAdmin", "list roles of other village's grid", HttpStatusCode.NotFound },
        { "SubDistrictAdmin", "list roles of other village's grid", HttpStatusCode.OK },
        { "GridLeader", "set households of own grid", HttpStatusCode.Forbidden },
        { "VillageAdmin", "set households of own grid", HttpStatusCode.OK },
        { "SubDistrictAdmin", "set households of own grid", HttpStatusCode.OK },
        { "Resident", "set households of own grid", HttpStatusCode.NotFound },
        { "VillageAdmin", "set households of other village's grid", HttpStatusCode.NotFound },
        { "SubDistrictAdmin", "set households of other village's grid", HttpStatusCode.OK },
        { "VillageAdmin", "rename own village", HttpStatusCode.Forbidden },
        { "SubDistrictAdmin", "rename own village", HttpStatusCode.OK },
        { "SubDistrictAdmin", "rename own sub-district", HttpStatusCode.Forbidden },
        { "GridLeader", "add grid to own village", HttpStatusCode.BadRequest },
        { "VillageAdmin", "add grid to own village", HttpStatusCode.Created },
        { "VillageAdmin", "add grid to other village", HttpStatusCode.BadRequest },
        { "SubDistrictAdmin", "add grid to other village", HttpStatusCode.Created },
        { "VillageAdmin", "add village to sub-district", HttpStatusCode.BadRequest },
        { "SubDistrictAdmin", "add village to sub-district", HttpStatusCode.Created },
        { "GridLeader", "make someone leader of own grid", HttpStatusCode.NotFound },
        { "VillageAdmin", "make someone leader of own grid", HttpStatusCode.Created },
        { "VillageAdmin", "make someone leader of other village's grid", HttpStatusCode.NotFound },
        { "SubDistrictAdmin", "make someone leader of other village's grid", HttpStatusCode.Created },
        { "VillageAdmin", "make someone admin of own village", HttpStatusCode.Forbidden },
        { "SubDistrictAdmin", "make someone admin of own village", HttpStatusCode.Created },
        { "SubDistrictAdmin", "make someone admin of own sub-district", HttpStatusCode.Forbidden },
        { "Resident", "make someone leader of own grid", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Act_WhenRoleMeetsUnit_IsAllowedOnlyInsideItsSubtree(string actor, string action, HttpStatusCode expected)
    {
        var client = (await ActorAsync(actor)).Client;
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

        var response = action switch
        {
            "list roles of own grid" => await client.GetAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP-DT-01")}/roles"),
            "list roles of other village's grid" => await client.GetAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP-XL-01")}/roles"),
            "set households of own grid" => await client.PutAsJsonAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP-DT-01")}", new UpdateOrgUnitRequest(null, 300)),
            "set households of other village's grid" => await client.PutAsJsonAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP-XL-01")}", new UpdateOrgUnitRequest(null, 300)),
            "rename own village" => await client.PutAsJsonAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP-DT")}", new UpdateOrgUnitRequest("大托村", null)),
            "rename own sub-district" => await client.PutAsJsonAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP")}", new UpdateOrgUnitRequest("大托铺街道", null)),
            "add grid to own village" => await client.PostAsJsonAsync("/api/org/units", new CreateOrgUnitRequest(await app.UnitIdAsync("TX-DTP-DT"), $"DT-{suffix}", $"网格{suffix}", 100)),
            "add grid to other village" => await client.PostAsJsonAsync("/api/org/units", new CreateOrgUnitRequest(await app.UnitIdAsync("TX-DTP-XL"), $"XL-{suffix}", $"网格{suffix}", 100)),
            "add village to sub-district" => await client.PostAsJsonAsync("/api/org/units", new CreateOrgUnitRequest(await app.UnitIdAsync("TX-DTP"), $"V-{suffix}", $"村{suffix}", null)),
            "make someone leader of own grid" => await AssignAsync(client, "TX-DTP-DT-02", Role.GridLeader),
            "make someone leader of other village's grid" => await AssignAsync(client, "TX-DTP-XL-02", Role.GridLeader),
            "make someone admin of own village" => await AssignAsync(client, "TX-DTP-DT", Role.VillageAdmin),
            "make someone admin of own sub-district" => await AssignAsync(client, "TX-DTP", Role.SubDistrictAdmin),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        Assert.Equal(expected, response.StatusCode);
        if ((int)expected >= 400)
        {
            await response.AssertProblemAsync(expected);
        }
    }

    [Theory]
    [InlineData("GridLeader", "TX-DTP-DT-01")]
    [InlineData("VillageAdmin", "TX-DTP-DT")]
    public async Task ListUnitRoles_WhenAskedForTheWholeSubDistrict_ContainsOnlyRowsInsideCallersUnit(string actor, string ownCode)
    {
        var visibleUnits = new HashSet<long>();
        foreach (var unit in (await app.CreateClient().GetFromJsonAsync<List<OrgTreeNode>>($"/api/org/tree?rootId={await app.UnitIdAsync(ownCode)}"))!)
        {
            Collect(unit, visibleUnits);
        }

        var rows = await (await ActorAsync(actor)).Client.GetFromJsonAsync<List<RoleAssignment>>($"/api/org/units/{await app.UnitIdAsync("TX-DTP")}/roles");

        Assert.NotEmpty(rows!);
        Assert.All(rows!, r => Assert.Contains(r.OrgUnitId, visibleUnits));
    }

    [Fact]
    public async Task ListUnitRoles_WhenSubDistrictAdminAsks_SeesEveryRoleBeneath()
    {
        var (leader, villageAdmin) = (await ActorAsync("GridLeader"), await ActorAsync("VillageAdmin"));

        var rows = await (await ActorAsync("SubDistrictAdmin")).Client.GetFromJsonAsync<List<RoleAssignment>>($"/api/org/units/{await app.UnitIdAsync("TX-DTP")}/roles");

        Assert.Contains(rows!, r => r.Role == Role.GridLeader && r.UserId == leader.UserId);
        Assert.Contains(rows!, r => r.Role == Role.VillageAdmin && r.UserId == villageAdmin.UserId);
    }

    private static void Collect(OrgTreeNode node, HashSet<long> ids)
    {
        ids.Add(node.Id);
        foreach (var child in node.Children)
        {
            Collect(child, ids);
        }
    }

    private async Task<HttpResponseMessage> AssignAsync(HttpClient client, string unitCode, Role role)
    {
        var someone = await app.SignInAsync("someone-" + Guid.NewGuid().ToString("N")[..8]);
        return await client.PostAsJsonAsync($"/api/org/units/{await app.UnitIdAsync(unitCode)}/roles", new AssignRoleRequest(someone.UserId, role));
    }
}
