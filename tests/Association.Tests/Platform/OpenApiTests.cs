using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Association.Tests.Infrastructure;

namespace Association.Tests.Platform;

public sealed class OpenApiTests(AssociationApp app) : IClassFixture<AssociationApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task GetOpenApiDocument_WhenServed_ListsEveryOperationWithIdAndSummary()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => op.Value))
            .ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, op => Assert.False(string.IsNullOrEmpty(op.GetProperty("operationId").GetString())));
        Assert.All(operations, op => Assert.False(string.IsNullOrEmpty(op.GetProperty("summary").GetString())));
        Assert.Contains(operations, op => op.GetProperty("operationId").GetString() == "GetOrgTree");
    }

    [Fact]
    public async Task GetDocsUi_WhenNotDevelopment_IsNotServed()
    {
        var response = await _client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
