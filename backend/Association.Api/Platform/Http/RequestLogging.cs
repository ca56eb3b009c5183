using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Association.Api.Platform.Http;

/// <summary>
/// One structured line per request. It names the route template, never the raw path or query
/// string, so ids, WeChat codes and tokens never reach the log.
/// A request that needs a look (a server error, or slower than <see cref="HttpLimitsOptions.SlowRequestMs"/>) is logged
/// at Warning; every other one at Debug, which development turns on: a line for every request is a real share of a
/// busy instance's work, and, as with ASP.NET Core's own request lines, the proxy in front keeps the access log.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger, IOptions<HttpLimitsOptions> limits)
{
    private readonly double _slowMs = limits.Value.SlowRequestMs;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.Response.StatusCode;
            var level = status >= StatusCodes.Status500InternalServerError || elapsedMs > _slowMs ? LogLevel.Warning : LogLevel.Debug;
            if (logger.IsEnabled(level))
            {
                // The exception handler clears the endpoint before it writes the error; it keeps the one that failed.
                var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                LogAnswered(logger, level, context.Request.Method, route, status, elapsedMs);
            }
        }
    }

    // Generated: no argument array, boxing or template parsing on every request.
    [LoggerMessage("HTTP {Method} {Route} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogAnswered(ILogger logger, LogLevel level, string method, string route, int statusCode, double elapsedMs);
}
