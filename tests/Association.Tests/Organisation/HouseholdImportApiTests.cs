using System.Net;
using System.Net.Http.Json;
using Association.Api.Organisation;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using MiniExcelLibs;

namespace Association.Tests.Organisation;

public sealed class HouseholdImportApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn VillageAdminGj { get; set; } = null!;

    public async Task InitializeAsync()
    {
        VillageAdminGj = await app.VillageAdminAsync("TX-DTP-GJ");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static MultipartFormDataContent Sheet(IEnumerable<Dictionary<string, object>> rows)
    {
        var stream = new MemoryStream();
        stream.SaveAs(rows);
        var file = new ByteArrayContent(stream.ToArray());
        file.Headers.ContentType = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return new MultipartFormDataContent { { file, "file", "households.xlsx" } };
    }

    private static Dictionary<string, object> Row(string code, object households) => new() { ["code"] = code, ["households"] = households };

    private async Task<long> HouseholdsAsync(string code) =>
        (await app.CreateClient().GetFromJsonAsync<OrgUnit>($"/api/org/units/{await app.UnitIdAsync(code)}"))!.Households;

    [Fact]
    public async Task ImportHouseholds_WhenEveryRowIsGood_UpdatesTheGrids()
    {
        var response = await VillageAdminGj.Client.PostAsync("/api/org/households/import",
            Sheet([Row("TX-DTP-GJ-01", 401), Row("TX-DTP-GJ-02", 402)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<ImportResult>())!.Updated);
        Assert.Equal(401, await HouseholdsAsync("TX-DTP-GJ-01"));
        Assert.Equal(402, await HouseholdsAsync("TX-DTP-GJ-02"));
    }

    [Fact]
    public async Task ImportHouseholds_WhenSomeRowsAreBad_ReportsEachAndImportsNothing()
    {
        var before = await HouseholdsAsync("TX-DTP-GJ-03");

        var response = await VillageAdminGj.Client.PostAsync("/api/org/households/import", Sheet(
        [
            Row("TX-DTP-GJ-03", 333),
            Row("TX-NOPE-01", 10),
            Row("TX-DTP-GJ-03", 12),
            Row("TX-DTP-DT-01", 10),
            Row("TX-DTP-GJ-01", -5),
            Row("TX-DTP-GJ-02", "many"),
            Row("TX-DTP-GJ", 10),
        ]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(6, errors.EnumerateObject().Count());
        foreach (var line in new[] { "row 3", "row 4", "row 5", "row 6", "row 7", "row 8" })
        {
            Assert.True(errors.TryGetProperty(line, out _), line);
        }
        Assert.Equal(before, await HouseholdsAsync("TX-DTP-GJ-03"));
    }

    [Fact]
    public async Task ImportHouseholds_WhenFileIsNotASheet_Returns400NamingFile()
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent("not a spreadsheet"u8.ToArray()), "file", "x.xlsx" } };

        var response = await VillageAdminGj.Client.PostAsync("/api/org/households/import", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
    }
}
