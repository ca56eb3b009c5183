using System.Text.Json.Serialization;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Health;
using Association.Api.Platform.Http;
using Association.Api.Platform.OpenApi;
using Association.Api.Platform.Redis;
using Association.WeChat;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Association.Api.Platform;

public static class PlatformSetup
{
    public static void AddPlatform(this WebApplicationBuilder builder)
    {
        builder.AddDatabase();
        builder.AddRedis();
        builder.AddHttpLimits();
        builder.AddProxyHeaders();
        builder.Services.AddTransient<IdempotencyKeysCleanupJob>();
        builder.AddSessionAuth();
        builder.Services.AddWeChat();
        // The WeChat access token shares the deployment's Redis prefix.
        builder.Services.AddOptions<WeChatOptions>()
            .Configure<IOptions<RedisOptions>>((weChat, redis) => weChat.RedisKeyPrefix = redis.Value.KeyPrefix);
        builder.Services.AddApiErrors();
        builder.Services.AddReadiness();
        builder.Services.AddApiDocument();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
            // Numbers are numbers: "5" for points is a 400, and the contract types them as number, not number | string.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
    }

    /// <summary>The root every feature maps its routes under: request bodies are validated before any handler.</summary>
    public static RouteGroupBuilder MapApi(this WebApplication app) => app.MapGroup("").ValidateRequests();

    public static void UsePlatform(this WebApplication app)
    {
        // First, so the limits and everything after see the client's address, not the proxy's.
        app.UseForwardedHeaders();
        // The console reaches the API under its own prefix; the path is set back before any route is matched.
        app.UseConsoleApiPrefix();
        app.UseRouting();
        // Before the error handler, so a problem written for an exception speaks the request's language too.
        app.UseRequestLocalization();
        // Outermost after that, so it logs the status the client finally got, errors included.
        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSessionAuth();
        app.UseMiddleware<QueryEnumNames>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapReadiness();
        app.MapOpenApi(OpenApiSetup.DocumentPath);
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/docs", options => options.WithOpenApiRoutePattern(OpenApiSetup.DocumentPath));
        }
    }
}
