using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Association.Api.Platform.Auth;

public static class AuthSetup
{
    public const string LoginRateLimit = "login";

    /// <summary>For the few endpoints anyone may call without signing in, so that a serial cannot be guessed by brute force.</summary>
    public const string PublicLookupRateLimit = "publicLookup";

    public static void AddSessionAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<FieldEncryptionOptions>()
            .BindConfiguration(FieldEncryptionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(FieldCipher.AreValid, "FieldEncryption: ActiveKeyId must name one of Keys, and every key and the LookupKey must be 32 bytes of base64.")
            .ValidateOnStart();
        builder.Services.AddSingleton<FieldCipher>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<SessionCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SessionCache>());
        builder.Services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(LoginRateLimit, context => PerAddressPerMinute(context, options => options.LoginsPerAddressPerMinute));
            limiter.AddPolicy(PublicLookupRateLimit, context => PerAddressPerMinute(context, options => options.PublicLookupsPerAddressPerMinute));
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var policy = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                await WriteTooManyRequestsAsync(context.HttpContext, retryAfter, policy == LoginRateLimit ? "auth.signIn.tooMany" : "http.tooMany");
            };
        });
    }

    public static void UseSessionAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
    }

    private static RateLimitPartition<string> PerAddressPerMinute(HttpContext context, Func<AuthOptions, int> permits)
    {
        var perMinute = permits(context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value);
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return RateLimitPartition.GetFixedWindowLimiter(address.ToString(), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    /// <summary>429 with Retry-After in whole seconds, as ProblemDetails.</summary>
    public static async Task WriteTooManyRequestsAsync(HttpContext context, TimeSpan retryAfter, string code = "auth.signIn.tooMany")
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Details(StatusCodes.Status429TooManyRequests, code, seconds),
        });
    }
}
