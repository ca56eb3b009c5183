using System.Net;
using System.Net.Http.Json;
using System.Text;
using Association.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Platform;

public sealed class ProblemDetailsTests(ProblemDetailsTests.App app) : IClassFixture<ProblemDetailsTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ProbeEndpoints>());
        }
    }

    private readonly HttpClient _client = app.CreateClient();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Post_WhenBodyIsValid_ReachesTheEndpoint()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, Json("""{"name":"网格","households":12}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ProbeBody("网格", 12), await response.Content.ReadFromJsonAsync<ProbeBody>());
    }

    [Fact]
    public async Task Post_WhenJsonIsMalformed_Returns400Problem()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, Json("""{"name": "x", """));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_WhenFieldHasWrongType_Returns400NamingTheField()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, Json("""{"name":"x","households":"many"}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("households", out _));
    }

    [Fact]
    public async Task Post_WhenBodyHasUnknownField_Returns400NamingTheField()
    {
        // Mass assignment: a field the operation does not declare is refused, not silently dropped.
        var response = await _client.PostAsync(ProbeEndpoints.Path, Json("""{"name":"x","households":1,"role":"SubDistrictAdmin"}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("role", problem.GetRawText());
    }

    [Fact]
    public async Task Post_WhenBodyIsEmpty_Returns400Problem()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, Json(""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_WhenContentTypeIsNotJson_Returns415Problem()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, new StringContent("name=x", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Get_WhenRouteIsUnknown_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/no-such-thing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_WhenRouteHasNoSuchMethod_Returns405Problem()
    {
        var response = await _client.DeleteAsync("/api/org/tree");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Get_WhenRouteValueFailsToParse_RunsNeitherFilterNorHandler()
    {
        var (calls, filterCalls) = (ProbeEndpoints.Calls, ProbeEndpoints.FilterCalls);

        var response = await _client.GetAsync("/test/probe/1.5");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        problem.AssertFieldCode("id", "http.parameter.invalid");
        Assert.Equal(calls, ProbeEndpoints.Calls);
        Assert.Equal(filterCalls, ProbeEndpoints.FilterCalls);
    }

    [Fact]
    public async Task Get_WhenRouteValueParses_RunsFilterAndHandler()
    {
        var response = await _client.GetAsync("/test/probe/15");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(15, await response.Content.ReadFromJsonAsync<long>());
    }

    [Fact]
    public async Task Problem_WhenReturned_CarriesTraceIdAndInstance()
    {
        var response = await _client.GetAsync("/api/org/units/424242");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.Equal("/api/org/units/424242", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task AnyRequest_WhenMariaDbDropsTheConnectionMidQuery_Returns503ProblemWithRetryAfter()
    {
        var response = await _client.GetAsync(ProbeEndpoints.KilledQueryPath);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task AnyRequest_WhenTheServerHasABug_Answers500InChineseWithATraceIdAndNothingInternal()
    {
        var response = await _client.GetAsync(ProbeEndpoints.BugPath);

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("server.error", problem.Code());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("hunter2", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperation", problem.GetRawText(), StringComparison.Ordinal);
    }
}
