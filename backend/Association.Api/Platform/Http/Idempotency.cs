using System.Security.Cryptography;
using System.Text;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using MySqlConnector;

namespace Association.Api.Platform.Http;

/// <summary>Marks an endpoint whose creates a phone may retry; see <see cref="IdempotencyMiddleware"/>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// Idempotency-Key for retried creates, keyed per caller: the same key and body returns the stored
/// original response (marked Idempotent-Replayed); the same key with another body is 422; a key whose
/// first request is still running is 409. Server errors are not stored, so they can be retried.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    private const string Claim = """
        INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, created_at)
        VALUES (@callerId, @key, @hash, @now)
        """;

    private const string Find = """
        SELECT request_hash, status_code, content_type, response_body
          FROM idempotency_keys WHERE caller_id = @callerId AND idem_key = @key
        """;

    private const string Complete = """
        UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, response_body = @body, completed_at = @now
         WHERE caller_id = @callerId AND idem_key = @key
        """;

    private const string Release = "DELETE FROM idempotency_keys WHERE caller_id = @callerId AND idem_key = @key";

    private sealed class StoredResponse
    {
        public byte[] RequestHash { get; init; } = [];
        public int? StatusCode { get; init; }
        public string? ContentType { get; init; }
        public byte[]? ResponseBody { get; init; }
    }

    public async Task InvokeAsync(HttpContext context, MySqlDataSource db, TimeProvider time, IProblemDetailsService problems)
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
        var args = new { callerId, key, hash, now = time.DbUtcNow() };
        await using (var connection = await db.OpenConnectionAsync(context.RequestAborted))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(Claim, args, cancellationToken: context.RequestAborted));
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                var stored = await connection.QuerySingleAsync<StoredResponse>(new CommandDefinition(Find, args, cancellationToken: context.RequestAborted));
                await AnswerRepeatAsync(context, problems, stored, hash);
                return;
            }
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
            await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
            if (completed && context.Response.StatusCode < 500)
            {
                await connection.ExecuteAsync(new CommandDefinition(Complete, new
                {
                    callerId, key, status = context.Response.StatusCode, contentType = context.Response.ContentType,
                    body = buffer.ToArray(), now = time.DbUtcNow(),
                }));
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(Release, args));
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task AnswerRepeatAsync(HttpContext context, IProblemDetailsService problems, StoredResponse stored, byte[] hash)
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
