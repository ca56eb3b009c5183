using System.Security.Cryptography;
using System.Text;
using Association.Api.Platform.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Association.Api.Platform.Http;

/// <summary>Marks an endpoint whose creates a phone may retry; see <see cref="IdempotencyMiddleware"/>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// Idempotency-Key for retried creates, keyed per caller: the same key and body returns the stored
/// original response (marked Idempotent-Replayed); the same key with another body is 422; a key whose
/// first request is still running is 409. Server errors are not stored, so they can be retried.
/// Keys are claimed and answers stored through <see cref="IdempotencyStore"/>, with those of concurrent requests.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, IdempotencyStore store, IProblemDetailsService problems)
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
            await WriteProblemAsync(context, problems, StatusCodes.Status400BadRequest, "Bad request",
                $"{Header} must be 1 to 100 visible ASCII characters.");
            return;
        }

        var callerId = context.User.UserId();
        var hash = await HashRequestAsync(context.Request);
        if (await store.ClaimAsync(callerId, key, hash) is { } stored)
        {
            await AnswerRepeatAsync(context, problems, stored, hash);
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            context.Response.Body = original;
            if (completed && context.Response.StatusCode < 500)
            {
                store.Answer(callerId, key, context.Response.StatusCode, context.Response.ContentType, buffer.ToArray());
            }
            else
            {
                store.Release(callerId, key);
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task AnswerRepeatAsync(HttpContext context, IProblemDetailsService problems, IdempotencyStore.Stored stored, byte[] hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
        {
            await WriteProblemAsync(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                $"This {Header} was used for a different request. Use a new key for a new action.");
            return;
        }
        if (stored.StatusCode is not { } status)
        {
            context.Response.Headers.RetryAfter = "1";
            await WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "Request in progress",
                $"The first request with this {Header} is still being processed.");
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = stored.ContentType;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(stored.ResponseBody ?? [], context.RequestAborted);
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

    private static Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
