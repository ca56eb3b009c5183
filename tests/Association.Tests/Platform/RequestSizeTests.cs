using System.Net;
using System.Text;
using Association.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Platform;

/// <summary>The body limit is Kestrel's, so this class runs the application on a real Kestrel port.</summary>
public sealed class RequestSizeTests : IClassFixture<RequestSizeTests.App>
{
    public sealed class App : AssociationApp
    {
        public const int LimitBytes = 4096;

        public App() => UseKestrel(0);

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Http:MaxRequestBodyBytes"] = LimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ProbeEndpoints>());
        }
    }

    private readonly HttpClient _client;

    public RequestSizeTests(App app)
    {
        app.StartServer();
        _client = app.CreateClient();
    }

    private static string Body(int nameLength) => $$"""{"name":"{{new string('x', nameLength)}}","households":1}""";

    [Fact]
    public async Task Post_WhenBodyExceedsLimit_Returns413Problem()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, new StringContent(Body(App.LimitBytes * 4), Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_WhenChunkedBodyExceedsLimit_Returns413Problem()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Body(App.LimitBytes * 4))));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, ProbeEndpoints.Path) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_WhenBodyWithinLimit_IsAccepted()
    {
        var response = await _client.PostAsync(ProbeEndpoints.Path, new StringContent(Body(App.LimitBytes / 2), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
