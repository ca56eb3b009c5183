using System.Net;
using System.Net.Http.Json;
using Association.Api.Organisation;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Organisation;

public sealed class OrganisationAdminApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private HttpClient Admin { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Admin = (await app.SubDistrictAdminAsync()).Client;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewCode() => "T-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task CreateOrgUnit_WhenGridUnderVillage_AddsItAndTheVillageCountsItsHouseholds()
    {
        var villageId = await app.UnitIdAsync("TX-DTP-HH");
        var before = (await app.CreateClient().GetFromJsonAsync<OrgUnit>($"/api/org/units/{villageId}"))!;

        var response = await Admin.PostAsJsonAsync("/api/org/units", new CreateOrgUnitRequest(villageId, NewCode(), "黄合村新网格", 123));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var grid = (await response.Content.ReadFromJsonAsync<OrgUnit>())!;
        Assert.Equal(OrgUnitKind.Grid, grid.Kind);
        Assert.Equal(villageId, grid.ParentId);
        Assert.Equal($"/api/org/units/{grid.Id}", response.Headers.Location!.ToString());
        var after = (await app.CreateClient().GetFromJsonAsync<OrgUnit>($"/api/org/units/{villageId}"))!;
        Assert.Equal(before.Households + 123, after.Households);
        Assert.Equal(before.ChildCount + 1, after.ChildCount);
    }

    [Fact]
    public async Task UpdateOrgUnit_WhenHouseholdsSet_ChangesOnlyThatGrid()
    {
        var gridId = await app.UnitIdAsync("TX-DTP-XF-01");

        var response = await Admin.PutAsJsonAsync($"/api/org/units/{gridId}", new UpdateOrgUnitRequest(null, 555));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grid = (await response.Content.ReadFromJsonAsync<OrgUnit>())!;
        Assert.Equal(555, grid.Households);
        Assert.Equal("先锋村第1网格", grid.Name);
    }

    public static TheoryData<string, string> BadCreates => new()
    {
        { "households", """{"parentId":{village},"code":"{code}","name":"n","households":null}""" },
        { "households", """{"parentId":{village},"code":"{code}","name":"n","households":-1}""" },
        { "households", """{"parentId":{subDistrict},"code":"{code}","name":"n","households":10}""" },
        { "parentId", """{"parentId":{grid},"code":"{code}","name":"n","households":10}""" },
        { "parentId", """{"parentId":987654321,"code":"{code}","name":"n","households":10}""" },
        { "code", """{"parentId":{village},"code":"lower-case","name":"n","households":10}""" },
        { "code", """{"parentId":{village},"code":"X","name":"n","households":10}""" },
        { "name", """{"parentId":{village},"code":"{code}","name":"   ","households":10}""" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreateOrgUnit_WhenInputIsWrong_Returns400NamingTheFieldAndAddsNothing(string field, string template)
    {
        var body = template.Replace("{village}", (await app.UnitIdAsync("TX-DTP-DT")).ToString())
            .Replace("{subDistrict}", (await app.UnitIdAsync("TX-DTP")).ToString())
            .Replace("{grid}", (await app.UnitIdAsync("TX-DTP-DT-01")).ToString())
            .Replace("{code}", NewCode());
        var before = await CountUnitsAsync();

        var response = await Admin.PostAsync("/api/org/units", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(before, await CountUnitsAsync());
    }

    [Fact]
    public async Task CreateOrgUnit_WhenCodeIsTaken_Returns409AndAddsNothing()
    {
        var before = await CountUnitsAsync();

        var response = await Admin.PostAsJsonAsync("/api/org/units",
            new CreateOrgUnitRequest(await app.UnitIdAsync("TX-DTP-DT"), "TX-DTP-DT-01", "重复编码", 10));

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(before, await CountUnitsAsync());
    }

    [Fact]
    public async Task UpdateOrgUnit_WhenHouseholdsGivenForVillage_Returns400()
    {
        var response = await Admin.PutAsJsonAsync($"/api/org/units/{await app.UnitIdAsync("TX-DTP-DT")}", new UpdateOrgUnitRequest(null, 10));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UpdateOrgUnit_WhenUnitDoesNotExist_Returns404()
    {
        var response = await Admin.PutAsJsonAsync("/api/org/units/987654321", new UpdateOrgUnitRequest("x", null));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateOrgUnit_WhenNotSignedIn_Returns401()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/org/units",
            new CreateOrgUnitRequest(await app.UnitIdAsync("TX-DTP-DT"), NewCode(), "n", 1));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<long> CountUnitsAsync()
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units");
    }
}
