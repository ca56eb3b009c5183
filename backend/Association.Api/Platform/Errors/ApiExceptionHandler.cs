using System.Text.Json;
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
        BadHttpRequestException bad => DescribeBadRequest(bad),
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } or MySqlException { IsTransient: true } =>
            Unavailable("The database is unavailable."),
        // The server went away mid-request (restarted, failed over, the connection killed): worth a retry shortly.
        MySqlException { InnerException: MySqlEndOfStreamException or IOException or System.Net.Sockets.SocketException }
            or MySqlException { ErrorCode: MySqlErrorCode.QueryInterrupted or MySqlErrorCode.ServerShutdown } =>
            Unavailable("The database is unavailable."),
        MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } =>
            new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = "The item already exists." },
        RedisConnectionException or RedisTimeoutException => Unavailable("The cache is unavailable."),
        // WeChat busy, rate-limited (app-wide quota) or unreachable: nothing the caller did wrong.
        WeChatBusyException or WeChatRateLimitedException or WeChatUnavailableException or WeChatAccessTokenException =>
            Unavailable("WeChat is unavailable."),
        // Any other errcode (an invalid AppSecret, a code WeChat added later) is ours or WeChat's to fix, not the
        // caller's; the log line carries the code and WeChat's rid.
        WeChatApiException => new ProblemDetails
        {
            Status = StatusCodes.Status502BadGateway,
            Title = "Bad gateway",
            Detail = "WeChat refused the request. Try again later.",
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error occurred.",
        },
    };

    private static ProblemDetails Unavailable(string detail) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Service unavailable",
        Detail = detail + " Try again shortly.",
    };

    private static ProblemDetails DescribeBadRequest(BadHttpRequestException bad)
    {
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                _ => "Bad request",
            },
            Detail = bad.Message,
        };
        if (bad.InnerException is JsonException { Path: { } path } json)
        {
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            problem.Detail = $"The request body is not valid JSON for this operation at '{field}'.";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [FirstLine(json.Message)] };
        }
        return problem;
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
