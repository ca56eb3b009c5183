using System.Security.Cryptography;
using System.Text;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using MySqlConnector;

namespace Association.Api.Platform.Http;

/// <summary>
/// The answer body of an endpoint's write stored by reference (<see cref="IdempotentWrite.Stored.ResultRef"/>): the same
/// bytes the first answer carried, rendered from what it showed, which never changes.
/// </summary>
public delegate Task<byte[]> IdempotentReplay(HttpContext http, long resultRef, CancellationToken ct);

/// <summary>Marks an endpoint whose creates a phone may retry; see <see cref="IdempotencyMiddleware"/>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentAttribute(IdempotentReplay? replay = null) : Attribute
{
    public IdempotentReplay? Replay { get; } = replay;
}

/// <summary>
/// Where a fault test makes a request fail after its write committed and before its answer leaves (an instance that dies
/// there): registered only by tests, it runs once the endpoint's handler has returned.
/// </summary>
public interface IAfterWriteFaults
{
    void AfterWrite(HttpContext http);
}

public static class IdempotentEndpoints
{
    /// <summary>An endpoint a phone may retry with an Idempotency-Key; its handler claims and answers the key with its write.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder endpoint, IdempotentReplay? replay = null) =>
        endpoint.WithMetadata(new IdempotentAttribute(replay)).AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            context.HttpContext.RequestServices.GetService<IAfterWriteFaults>()?.AfterWrite(context.HttpContext);
            return result;
        });
}

/// <summary>
/// Idempotency-Key for retried creates, keyed per caller: the endpoint claims the key and stores its answer in the
/// transaction of its write (<see cref="IdempotentWrite"/>), so a retry of a write that committed gets the original
/// response (marked Idempotent-Replayed), even if the first request's answer was lost to a crash after the commit; the
/// same key with another body is 422. A request refused before it wrote anything keeps no key, and its retry is decided
/// again. A retry that arrives while the first request is still writing waits for that request's transaction.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, MySqlDataSource db, IProblemDetailsService problems)
    {
        var key = context.Request.Headers[Header].ToString();
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null || key.Length == 0
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        if (key.Length > 100 || key.Any(c => c < 0x21 || c > 0x7e))
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status400BadRequest, "http.idempotencyKey.invalid");
            return;
        }

        var callerId = context.User.UserId();
        var hash = await HashRequestAsync(context.Request);
        context.Features.Set(new IdempotencyClaim(callerId, key, hash));
        try
        {
            await next(context);
        }
        catch (IdempotencyKeyTakenException) when (!context.Response.HasStarted)
        {
            var stored = await IdempotentWrite.ReadAsync(db, callerId, key, context.RequestAborted);
            await AnswerRepeatAsync(context, problems, stored, hash);
        }
    }

    private static async Task AnswerRepeatAsync(HttpContext context, IProblemDetailsService problems, IdempotentWrite.Stored? stored, byte[] hash)
    {
        if (stored is not null && !CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status422UnprocessableEntity, "http.idempotencyKey.reused");
            return;
        }
        // No answer: the key was released meanwhile by a request that wrote nothing (or is a row from before answers were
        // stored with their writes). The retry after Retry-After runs the request.
        if (stored?.StatusCode is not { } status)
        {
            context.Response.Headers.RetryAfter = "1";
            await WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "http.idempotencyKey.inProgress");
            return;
        }
        var body = stored.ResponseBody;
        if (body is null && stored.ResultRef is { } reference
            && context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>()?.Replay is { } replay)
        {
            body = await replay(context, reference, context.RequestAborted);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = stored.ContentType;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(body ?? [], context.RequestAborted);
    }

    private static async Task<byte[]> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    private static Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string code)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Details(status, code),
        }).AsTask();
    }
}
