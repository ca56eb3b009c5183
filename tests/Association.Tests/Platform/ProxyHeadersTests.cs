using System.Net;
using System.Net.Http.Json;
using Association.Api.Auth;
using Association.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Platform;

public sealed class ProxyHeadersTests(ProxyHeadersTests.App app) : IClassFixture<ProxyHeadersTests.App>
{
    private const string Peer = "X-Test-Peer";

    public sealed class App : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginsPerAddressPerMinute"] = "2",
            ["Http:TrustedProxies:0"] = "10.9.0.0/16",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PeerAddress>());
        }
    }

    /// <summary>The test server has no socket: the address the request "came from" is taken from a test header.</summary>
    private sealed class PeerAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[Peer].ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private Task<HttpResponseMessage> SignInAsync(string peer, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in")
        {
            Content = JsonContent.Create(new SignInRequest($"proxy#{Guid.NewGuid():N}")),
        };
        request.Headers.Add(Peer, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task SignIn_WhenBehindATrustedProxy_CountsEachClientAddress()
    {
        (await SignInAsync("10.9.0.7", "203.0.113.1")).EnsureSuccessStatusCode();
        (await SignInAsync("10.9.0.8", "203.0.113.1")).EnsureSuccessStatusCode();

        var third = await SignInAsync("10.9.0.7", "203.0.113.1");
        var otherClient = await SignInAsync("10.9.0.7", "203.0.113.2");

        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    [Fact]
    public async Task SignIn_WhenAnUntrustedPeerSendsForwardedFor_CountsThePeerNotTheHeader()
    {
        (await SignInAsync("198.51.100.9", "203.0.113.50")).EnsureSuccessStatusCode();
        (await SignInAsync("198.51.100.9", "203.0.113.51")).EnsureSuccessStatusCode();

        var third = await SignInAsync("198.51.100.9", "203.0.113.52");

        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
