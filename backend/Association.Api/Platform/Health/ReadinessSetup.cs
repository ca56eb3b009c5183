using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Association.Api.Platform.Health;

public static class ReadinessSetup
{
    private const string ReadyTag = "ready";

    public static void AddReadiness(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<MariaDbHealthCheck>("mariadb", HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5))
            // Redis down leaves the instance able to serve (every feature falls back to MariaDB), so it
            // reports Degraded: still 200, with the failing dependency named in the body.
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, [ReadyTag], TimeSpan.FromSeconds(5));
    }

    public static void MapReadiness(this IEndpointRouteBuilder app)
    {
        // Liveness runs no check: a dead database must not make the orchestrator restart a healthy process.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new HealthResponse(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Options, context.RequestAborted);
    }
}

public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthEntry> Checks);

public sealed record HealthEntry(string Status, string? Description);

internal static class HealthJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
