using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Association.Api.Platform.Http;

public sealed class HttpLimitsOptions
{
    public const string Section = "Http";

    /// <summary>Largest request body in bytes. JSON requests are small; photos go to object storage, not here.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A request slower than this is logged at Warning, whatever it answered.</summary>
    [Range(1, 600_000)]
    public int SlowRequestMs { get; set; } = 1000;
}

public static class HttpLimits
{
    public static void AddHttpLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HttpLimitsOptions>()
            .BindConfiguration(HttpLimitsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Read through options (not configuration at build time) so every configuration source counts.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<HttpLimitsOptions>>((kestrel, limits) =>
            {
                kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
                kestrel.AddServerHeader = false;
            });
    }
}
