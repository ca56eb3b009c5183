using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Association.Api.Platform.Http;

public sealed class ProxyOptions
{
    public const string Section = "Http";

    /// <summary>
    /// Addresses or CIDR ranges of the reverse proxies in front of the API (beyond loopback, always trusted), e.g.
    /// "10.0.0.0/8". Only their X-Forwarded-For is believed: a client cannot pick its own address for the limits.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>
/// Behind nginx or a cloud load balancer every request comes from the proxy; the client's address, which the
/// sign-in limits count per, is in X-Forwarded-For. The last hop a trusted proxy added is taken, nothing further.
/// </summary>
public static class ProxyHeaders
{
    public static void AddProxyHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .Validate(options => options.TrustedProxies.All(IsAddressOrRange), "Http:TrustedProxies takes IP addresses or CIDR ranges.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.ForwardLimit = 1;
                foreach (var trusted in proxies.Value.TrustedProxies)
                {
                    if (trusted.Contains('/'))
                    {
                        forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(trusted));
                    }
                    else
                    {
                        forwarded.KnownProxies.Add(IPAddress.Parse(trusted));
                    }
                }
            });
    }

    private static bool IsAddressOrRange(string value) =>
        value.Contains('/') ? System.Net.IPNetwork.TryParse(value, out _) : IPAddress.TryParse(value, out _);
}
