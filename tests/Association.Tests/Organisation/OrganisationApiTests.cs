using System.Net;
using System.Net.Http.Json;
using Association.Api.Organisation;
using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Organisation;

public sealed class OrganisationApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task GetOrgTree_WhenDemoDataLoaded_ReturnsDatuopuWithVillagesAndGrids()
    {
        var roots = await _client.GetFromJsonAsync<List<OrgTreeNode>>("/api/org/tree");

        var district = Assert.Single(roots!);
        Assert.Equal(OrgUnitKind.District, district.Kind);
        Assert.Equal("天心区", district.Name);
        var subDistrict = Assert.Single(district.Children);
        Assert.Equal("大托铺街道", subDistrict.Name);
        Assert.True(subDistrict.Children.Count >= 4);
        Assert.All(subDistrict.Children, village =>
        {
            Assert.Equal(OrgUnitKind.Village, village.Kind);
            Assert.True(village.Children.Count >= 2);
            Assert.All(village.Children, grid => Assert.Equal(OrgUnitKind.Grid, grid.Kind));
            Assert.All(village.Children, grid => Assert.True(grid.Households > 0));
            Assert.Equal(village.Children.Sum(g => g.Households), village.Households);
        });
        Assert.Equal(subDistrict.Children.Sum(v => v.Households), subDistrict.Households);
        Assert.Equal(subDistrict.Households, district.Households);
    }

    [Fact]
    public async Task GetOrgTree_WhenHouseholdsAddedUp_MatchesSumOfGridsInDatabase()
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var gridTotal = await connection.ExecuteScalarAsync<long>("SELECT SUM(households) FROM org_units WHERE kind = 'Grid'");

        var roots = await _client.GetFromJsonAsync<List<OrgTreeNode>>("/api/org/tree");

        Assert.Equal(gridTotal, roots!.Single().Households);
    }

    [Fact]
    public async Task GetOrgTree_WhenRootIdGiven_ReturnsOnlyThatSubtree()
    {
        var village = await FirstVillageAsync();

        var roots = await _client.GetFromJsonAsync<List<OrgTreeNode>>($"/api/org/tree?rootId={village.Id}");

        var root = Assert.Single(roots!);
        Assert.Equal(village.Id, root.Id);
        Assert.Equal(village.ChildCount, root.Children.Count);
        Assert.Equal(village.Households, root.Households);
    }

    [Fact]
    public async Task GetOrgTree_WhenRootIdUnknown_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/org/tree?rootId=987654321");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("org.unit.notFound", problem.Code());
    }

    [Fact]
    public async Task GetOrgUnit_WhenVillage_ReturnsSumOfItsGridHouseholds()
    {
        var village = await FirstVillageAsync();

        var grids = await _client.GetFromJsonAsync<List<OrgUnit>>($"/api/org/units/{village.Id}/children");

        Assert.Equal(village.ChildCount, grids!.Count);
        Assert.Equal(grids.Sum(g => g.Households), village.Households);
        Assert.All(grids, g => Assert.Equal(village.Id, g.ParentId));
        Assert.All(grids, g => Assert.Equal(0, g.ChildCount));
    }

    [Fact]
    public async Task GetOrgUnit_WhenIdIsNotANumber_Returns400NamingTheParameter()
    {
        var response = await _client.GetAsync("/api/org/units/abc");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        problem.AssertFieldCode("id", "http.parameter.invalid");
    }

    [Fact]
    public async Task GetOrgUnitChildren_WhenIdOverflowsLong_Returns400()
    {
        var response = await _client.GetAsync("/api/org/units/99999999999999999999999/children");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task GetOrgUnit_WhenUnknown_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/org/units/987654321");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetOrgUnitChildren_WhenUnknown_Returns404RatherThanEmptyList()
    {
        var response = await _client.GetAsync("/api/org/units/987654321/children");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetOrgUnitChildren_WhenSubDistrict_ReturnsVillagesOrderedByCode()
    {
        var subDistrict = await SubDistrictAsync();

        var villages = (await _client.GetFromJsonAsync<List<OrgUnit>>($"/api/org/units/{subDistrict.Id}/children"))!;

        Assert.All(villages, v => Assert.Equal(OrgUnitKind.Village, v.Kind));
        Assert.Equal(villages.Select(v => v.Code).Order(StringComparer.Ordinal), villages.Select(v => v.Code));
        Assert.Equal(villages.Sum(v => v.Households), subDistrict.Households);
    }

    [Fact]
    public async Task SeedDemoOrganisation_WhenRunAgain_AddsNothing()
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units");

        var added = await OrganisationDemoData.SeedAsync(app.Db, app.Clock.DbUtcNow());

        Assert.False(added);
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units"));
    }

    private async Task<OrgUnit> SubDistrictAsync()
    {
        var district = (await _client.GetFromJsonAsync<List<OrgTreeNode>>("/api/org/tree"))!.Single();
        var children = await _client.GetFromJsonAsync<List<OrgUnit>>($"/api/org/units/{district.Id}/children");
        return Assert.Single(children!);
    }

    private async Task<OrgUnit> FirstVillageAsync()
    {
        var subDistrict = await SubDistrictAsync();
        var villages = await _client.GetFromJsonAsync<List<OrgUnit>>($"/api/org/units/{subDistrict.Id}/children");
        return (await _client.GetFromJsonAsync<OrgUnit>($"/api/org/units/{villages![0].Id}"))!;
    }
}
