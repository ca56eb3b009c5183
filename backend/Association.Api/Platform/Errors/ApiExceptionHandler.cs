using Association.WeChat;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Api.Platform.Errors;

/// <summary>
/// The one place where exceptions become RFC 9457 responses. Expected outcomes are typed results in
/// the handlers; what reaches this class is bad input the framework rejected, a dependency that is
/// down, or a bug (a 500 without details).
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Request failed: {Title}", problem.Title);
        }
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        BadHttpRequestException bad => BindingProblems.Describe(bad),
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } or MySqlException { IsTransient: true } =>
            Problems.Details(StatusCodes.Status503ServiceUnavailable, "server.database.unavailable"),
        // The server went away mid-request (restarted, failed over, the connection killed): worth a retry shortly.
        // A proxy cutting the connection to a node it marked down shows as a bare end of stream, not wrapped.
        MySqlException { InnerException: MySqlEndOfStreamException or IOException or System.Net.Sockets.SocketException }
            or MySqlException { ErrorCode: MySqlErrorCode.QueryInterrupted or MySqlErrorCode.ServerShutdown }
            or MySqlEndOfStreamException =>
            Problems.Details(StatusCodes.Status503ServiceUnavailable, "server.database.unavailable"),
        MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } => Problems.Details(StatusCodes.Status409Conflict, "data.duplicate"),
        RedisConnectionException or RedisTimeoutException => Problems.Details(StatusCodes.Status503ServiceUnavailable, "server.cache.unavailable"),
        // WeChat busy, rate-limited (app-wide quota) or unreachable: nothing the caller did wrong.
        WeChatBusyException or WeChatRateLimitedException or WeChatUnavailableException or WeChatAccessTokenException =>
            Problems.Details(StatusCodes.Status503ServiceUnavailable, "server.weChat.unavailable"),
        // Any other errcode (an invalid AppSecret, a code WeChat added later) is ours or WeChat's to fix, not the
        // caller's; the log line carries the code and WeChat's rid.
        WeChatApiException => Problems.Details(StatusCodes.Status502BadGateway, "server.weChat.refused"),
        _ => Problems.Details(StatusCodes.Status500InternalServerError, "server.error"),
    };
}
