using System.Diagnostics;

namespace Association.Api.Platform.Http;

/// <summary>
/// One structured line per request. It names the route template, never the raw path or query
/// string, so ids, WeChat codes and tokens never reach the log.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
            LogAnswered(logger, context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    // Generated: no argument array, boxing or template parsing on every request.
    [LoggerMessage(LogLevel.Information, "HTTP {Method} {Route} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogAnswered(ILogger logger, string method, string route, int statusCode, double elapsedMs);
}
