using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Association.Tests.Infrastructure;

namespace Association.Tests.Platform;

/// <summary>
/// Bad bodies sent to every write operation of the contract, as a careless or hostile client would: each answer is a
/// 4xx ProblemDetails with a code and Chinese words (English when asked for), naming the field where there is one.
/// The operations come from the served OpenAPI document, so a new operation is covered the day it is added.
/// </summary>
public sealed class BadInputTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const string Missing = "987654321";

    /// <param name="Objects">The body's properties that hold an object of their own (a campaign's phases).</param>
    private sealed record WriteOperation(HttpMethod Method, string Path, string Url, bool TakesJson, JsonElement? Body, IReadOnlySet<string> Objects);

    private sealed record BadBody(string Name, string Json, string? Code, string? Field);

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task BadBodies_WhenSentToEveryWriteOperation_AnswerCodedProblemsInTheCallersLanguage(string language)
    {
        var admin = await app.SubDistrictAdminAsync();
        var operations = await WriteOperationsAsync(admin.Client);
        var failures = new List<string>();

        foreach (var operation in operations)
        {
            foreach (var bad in BadBodiesFor(operation))
            {
                using var request = new HttpRequestMessage(operation.Method, operation.Url)
                {
                    Content = new StringContent(bad.Json, Encoding.UTF8, "application/json"),
                };
                request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                try
                {
                    var response = await admin.Client.SendAsync(request);
                    Assert.InRange((int)response.StatusCode, 400, 499);
                    var problem = await response.AssertProblemAsync(response.StatusCode);
                    if (operation.TakesJson && bad.Code is { } code)
                    {
                        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                        Assert.Equal(code, problem.Code());
                        problem.AssertFieldCode(bad.Field!, code);
                    }
                }
                catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
                {
                    failures.Add($"{operation.Method} {operation.Path} with {bad.Name}: {ex.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(operations.Count >= 35, $"only {operations.Count} write operations with a body found");
    }

    [Theory]
    [InlineData("/api/awards/1999/candidates", "year", "validation.year")]
    [InlineData("/api/awards/2101/export", "year", "validation.year")]
    [InlineData("/api/members?pageSize=101", "pageSize", "http.paging.pageSize")]
    [InlineData("/api/patrols?page=0", "page", "http.paging.page")]
    [InlineData("/api/rankings/2026Q5/Grid/1", "quarter", "rankings.quarter.format")]
    [InlineData("/api/rankings/me?quarter=Q4", "quarter", "rankings.quarter.format")]
    [InlineData("/api/leaderboards/Grid/1?top=0", "top", "validation.number.range")]
    [InlineData("/api/members?status=5", "status", "http.query.enumName")]
    [InlineData("/api/org/units/abc", "id", "http.parameter.invalid")]
    public async Task RouteAndQueryValues_WhenOutOfTheirRules_Answer400NamingTheParameter(string url, string field, string code)
    {
        var admin = await app.SubDistrictAdminAsync();

        var response = await admin.Client.GetAsync(url);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        problem.AssertFieldCode(field, code);
    }

    private static IEnumerable<BadBody> BadBodiesFor(WriteOperation operation)
    {
        yield return new BadBody("malformed JSON", "{,}", "http.body.malformed", "body");
        yield return new BadBody("an unknown field", """{"notAField": 1}""", "http.body.unknownField", "notAField");
        yield return new BadBody("an empty object", "{}", null, null);
        yield return new BadBody("an array", "[1, 2]", "http.body.wrongType", "body");
        if (operation.Body is not { } schema || !schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }
        if (properties.EnumerateObject().FirstOrDefault() is { Name: { } first })
        {
            yield return new BadBody($"a value of {first} cut off", $$"""{"{{first}}": "ab""", "http.body.malformed", first);
        }
        foreach (var property in properties.EnumerateObject())
        {
            yield return operation.Objects.Contains(property.Name)
                ? new BadBody($"an array for {property.Name}", $$"""{"{{property.Name}}": [1]}""", "http.body.wrongType", property.Name)
                : new BadBody($"an object for {property.Name}", $$$"""{"{{{property.Name}}}": {"nested": [1]}}""", "http.body.wrongType", property.Name);
            if (IsInteger(property.Value))
            {
                yield return new BadBody($"a huge number for {property.Name}", $$"""{"{{property.Name}}": 1e40}""", "http.body.wrongType", property.Name);
            }
        }
    }

    private static bool IsInteger(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ToString().Contains("integer", StringComparison.Ordinal);

    private static async Task<List<WriteOperation>> WriteOperationsAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement.Clone();
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var operations = new List<WriteOperation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                if (method.Name is not ("post" or "put" or "delete") || !method.Value.TryGetProperty("requestBody", out var body))
                {
                    continue;
                }
                var content = body.GetProperty("content");
                var takesJson = content.TryGetProperty("application/json", out var json);
                var schema = takesJson ? Resolve(json.GetProperty("schema"), schemas) : (JsonElement?)null;
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", Missing);
                operations.Add(new WriteOperation(new HttpMethod(method.Name.ToUpperInvariant()), path.Name, url, takesJson, schema,
                    ObjectProperties(schema, schemas)));
            }
        }
        return operations;
    }

    private static HashSet<string> ObjectProperties(JsonElement? body, JsonElement schemas)
    {
        var objects = new HashSet<string>(StringComparer.Ordinal);
        if (body is not { } schema || !schema.TryGetProperty("properties", out var properties))
        {
            return objects;
        }
        foreach (var property in properties.EnumerateObject())
        {
            var choices = property.Value.TryGetProperty("oneOf", out var oneOf) ? oneOf.EnumerateArray().ToList() : [property.Value];
            if (choices.Any(c => c.TryGetProperty("$ref", out _) && Resolve(c, schemas).TryGetProperty("properties", out _)))
            {
                objects.Add(property.Name);
            }
        }
        return objects;
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;
}
