using System.Net;
using Association.Tests.Infrastructure;

namespace Association.Tests.Platform;

/// <summary>Enums in a query string bind from their names only, as in JSON bodies.</summary>
public sealed class QueryEnumTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Theory]
    [InlineData("/api/publicity?status=5", "status")]
    [InlineData("/api/publicity?status=-1", "status")]
    [InlineData("/api/publicity?status=Published,Rejected", "status")]
    [InlineData("/api/grid-reports?kind=99", "kind")]
    [InlineData("/api/members?status=0", "status")]
    [InlineData("/api/patrols?status=2", "status")]
    public async Task List_WhenAQueryEnumIsANumberOrAList_Returns400NamingIt(string path, string field)
    {
        var admin = await app.SubDistrictAdminAsync();

        var response = await admin.Client.GetAsync(path);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("/api/publicity?status=Published")]
    [InlineData("/api/members?status=Active")]
    public async Task List_WhenAQueryEnumIsAName_Answers(string path)
    {
        var admin = await app.SubDistrictAdminAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(path)).StatusCode);
    }
}
