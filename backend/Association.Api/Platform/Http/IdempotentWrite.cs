using System.Text.Json;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Platform.Http;

/// <summary>
/// A request's Idempotency-Key, set by <see cref="IdempotencyMiddleware"/> for the endpoint to claim inside the
/// transaction of its write; the key's primary key decides between two claims of it.
/// </summary>
public sealed record IdempotencyClaim(long CallerId, string Key, byte[] RequestHash);

/// <summary>The key was claimed by a request whose write committed; the middleware answers what that request answered.</summary>
public sealed class IdempotencyKeyTakenException() : Exception("This Idempotency-Key belongs to a request that has already been made.");

/// <summary>
/// An Idempotency-Key is claimed, and its answer stored, in the same transaction as the write it protects: a write that
/// committed always has its answer for a retry to replay, whatever crashes after the commit; a write that never committed
/// leaves no key behind, so its retry runs at once. A claim of a key some other request holds waits for that request's
/// transaction: if it commits, the claim fails (<see cref="IdempotencyKeyTakenException"/>) and the retry gets its answer;
/// if it rolls back, the claim succeeds and the retry makes the write. Keys compare byte for byte (utf8mb4_bin).
/// </summary>
public static class IdempotentWrite
{
    public const string ContentType = "application/json; charset=utf-8";

    private const string Claim = """
        INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, created_at)
        VALUES (@callerId, @key, @hash, @now)
        """;

    private const string StoreAnswer = """
        UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, response_body = @body, completed_at = @now
         WHERE caller_id = @callerId AND idem_key = @key
        """;

    private const string ReadStored = """
        SELECT request_hash, status_code, content_type, response_body, result_ref FROM idempotency_keys WHERE caller_id = @callerId AND idem_key = @key
        """;

    /// <summary>
    /// The items of a batch whose key some committed request already holds: the JSON parameter <c>@claims</c> holds
    /// <c>[callerId, key, item]</c> rows. The batch then writes its other keys with its writes, by reference
    /// (<see cref="Stored.ResultRef"/>); a key claimed meanwhile by another transaction fails the batch on the primary key.
    /// </summary>
    public const string BatchKeysTaken = """
        SELECT j.item FROM JSON_TABLE(@claims, '$[*]' COLUMNS (caller_id BIGINT PATH '$[0]', idem_key VARCHAR(100) PATH '$[1]', item INT PATH '$[2]')) j
          JOIN idempotency_keys k ON k.caller_id = j.caller_id AND k.idem_key = j.idem_key COLLATE utf8mb4_bin
        """;

    /// <summary>What a key's row holds: the request that claimed it and the answer its write committed with.</summary>
    public class Stored
    {
        public byte[] RequestHash { get; init; } = [];
        public int? StatusCode { get; init; }
        public string? ContentType { get; init; }
        public byte[]? ResponseBody { get; init; }

        /// <summary>Instead of the body, the id of what the answer showed, which the endpoint renders again (<see cref="IdempotentReplay"/>).</summary>
        public long? ResultRef { get; init; }
    }

    /// <summary>The request's key, when it sent one to an idempotent endpoint.</summary>
    public static IdempotencyClaim? ClaimOf(HttpContext http) => http.Features.Get<IdempotencyClaim>();

    /// <summary>Claims the request's key (if it sent one) in <paramref name="transaction"/>; call it before the write.</summary>
    public static Task ClaimAsync(HttpContext http, MySqlConnection connection, MySqlTransaction transaction, CancellationToken ct) =>
        ClaimOf(http) is { } claim ? ClaimAsync(claim, connection, transaction, http.RequestServices.GetRequiredService<TimeProvider>().DbUtcNow(), ct)
            : Task.CompletedTask;

    public static async Task ClaimAsync(IdempotencyClaim claim, MySqlConnection connection, MySqlTransaction transaction, DateTime now, CancellationToken ct)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Claim,
                new { claim.CallerId, claim.Key, hash = claim.RequestHash, now }, transaction, cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            throw new IdempotencyKeyTakenException();
        }
    }

    /// <summary>Stores the answer of the request's claimed key in <paramref name="transaction"/>, commits, and gives that answer.</summary>
    public static async Task<Created<T>> CommitCreatedAsync<T>(HttpContext http, MySqlConnection connection, MySqlTransaction transaction,
        string location, T value, CancellationToken ct)
    {
        await CommitAnsweredAsync(http, connection, transaction, StatusCodes.Status201Created, value, ct);
        return TypedResults.Created(location, value);
    }

    /// <inheritdoc cref="CommitCreatedAsync"/>
    public static async Task<Ok<T>> CommitOkAsync<T>(HttpContext http, MySqlConnection connection, MySqlTransaction transaction, T value, CancellationToken ct)
    {
        await CommitAnsweredAsync(http, connection, transaction, StatusCodes.Status200OK, value, ct);
        return TypedResults.Ok(value);
    }

    private static async Task CommitAnsweredAsync<T>(HttpContext http, MySqlConnection connection, MySqlTransaction transaction, int status, T value,
        CancellationToken ct)
    {
        if (ClaimOf(http) is { } claim)
        {
            await StoreAnswerAsync(claim, connection, transaction, status, Body(http.RequestServices, value),
                http.RequestServices.GetRequiredService<TimeProvider>().DbUtcNow(), ct);
        }
        await transaction.CommitAsync(ct);
    }

    public static Task StoreAnswerAsync(IdempotencyClaim claim, MySqlConnection connection, MySqlTransaction transaction, int status, byte[] body,
        DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(StoreAnswer,
            new { claim.CallerId, claim.Key, status, contentType = ContentType, body, now }, transaction, cancellationToken: ct));

    /// <summary>The JSON an endpoint answers <paramref name="value"/> with, byte for byte.</summary>
    public static byte[] Body<T>(IServiceProvider services, T value) =>
        Body(services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions, value);

    public static byte[] Body<T>(JsonSerializerOptions options, T value) => JsonSerializer.SerializeToUtf8Bytes(value, options);

    public static async Task<Stored?> ReadAsync(MySqlDataSource db, long callerId, string key, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(ReadStored, new { callerId, key }, cancellationToken: ct));
    }
}
