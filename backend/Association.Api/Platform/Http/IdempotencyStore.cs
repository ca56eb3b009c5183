using System.Security.Cryptography;
using System.Text.Json;
using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Platform.Http;

/// <summary>
/// Idempotency-Key claims, answers and releases, written together: whatever concurrent requests ask for while a
/// batch is written goes into the next one (<see cref="BatchWriter{TItem}"/>), a transaction and a round trip for all of them,
/// rather than two durable commits of each request's own around its work. Alone, a request's claim is written at once;
/// its answer is written after it has been sent.
/// A claim is a row carrying the claimant's random token: the claim whose token the row shows owns the key; any
/// other claim of it, earlier or in the same batch, reads the row as it stands.
/// </summary>
public sealed class IdempotencyStore(MySqlDataSource db, TimeProvider time, ILogger<IdempotencyStore> logger) : BatchWriter<IdempotencyStore.Work>(db, time)
{
    protected override int MaxBatch => 256;

    // A batch travels as one packet (16 MB at most by default); a larger answer is written in a batch of its own.
    private const int MaxBatchedAnswer = 256 * 1024;

    /// <summary>What a key's row holds: the request that claimed it and, once it finished, its answer.</summary>
    public class Stored
    {
        public byte[] RequestHash { get; init; } = [];
        public int? StatusCode { get; init; }
        public string? ContentType { get; init; }
        public byte[]? ResponseBody { get; init; }
    }

    public enum Kind { Claim, Answer, Release }

    public sealed record Work(Kind Kind, long CallerId, string Key, byte[]? Hash = null, int Status = 0, string? ContentType = null, byte[]? Body = null)
    {
        public byte[] Token { get; } = Kind == Kind.Claim ? RandomNumberGenerator.GetBytes(16) : [];

        public TaskCompletionSource<Stored?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // Each statement reads its share of the batch from a JSON parameter; a share that is empty ('[]') changes nothing,
    // so every batch runs the same text. Keys compare byte for byte, in the column's collation
    // (utf8mb4_bin), as the primary key does. Releases come first, so a claim in the same batch finds the key free; claims
    // go in arrival order, so of two claims of one key the first wins and the other leaves the row as it is.
    private const string WriteBatch = """
        START TRANSACTION;

        DELETE k FROM idempotency_keys k
          JOIN JSON_TABLE(@releases, '$[*]' COLUMNS (caller_id BIGINT PATH '$[0]', idem_key VARCHAR(100) PATH '$[1]')) j
            ON k.caller_id = j.caller_id AND k.idem_key = j.idem_key COLLATE utf8mb4_bin;

        INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, claim_token, created_at)
        SELECT j.caller_id, j.idem_key, UNHEX(j.request_hash), UNHEX(j.claim_token), @now
          FROM JSON_TABLE(@claims, '$[*]' COLUMNS (idx FOR ORDINALITY, caller_id BIGINT PATH '$[0]', idem_key VARCHAR(100) PATH '$[1]',
                   request_hash CHAR(64) PATH '$[2]', claim_token CHAR(32) PATH '$[3]')) j
         ORDER BY j.idx
        ON DUPLICATE KEY UPDATE caller_id = idempotency_keys.caller_id;

        UPDATE idempotency_keys k
          JOIN JSON_TABLE(@answers, '$[*]' COLUMNS (caller_id BIGINT PATH '$[0]', idem_key VARCHAR(100) PATH '$[1]',
                   status INT PATH '$[2]', content_type VARCHAR(100) PATH '$[3]', body LONGTEXT PATH '$[4]')) j
            ON k.caller_id = j.caller_id AND k.idem_key = j.idem_key COLLATE utf8mb4_bin
           SET k.status_code = j.status, k.content_type = j.content_type, k.response_body = FROM_BASE64(j.body), k.completed_at = @now;

        SELECT j.idx, k.claim_token, k.request_hash, k.status_code, k.content_type, k.response_body
          FROM JSON_TABLE(@claims, '$[*]' COLUMNS (idx FOR ORDINALITY, caller_id BIGINT PATH '$[0]', idem_key VARCHAR(100) PATH '$[1]')) j
          JOIN idempotency_keys k ON k.caller_id = j.caller_id AND k.idem_key = j.idem_key COLLATE utf8mb4_bin;

        COMMIT
        """;

    private sealed class ClaimedRow : Stored
    {
        public int Idx { get; init; }
        public byte[]? ClaimToken { get; init; }
    }

    /// <summary>Null when the key is now the caller's; otherwise the row of whoever claimed it first.</summary>
    public Task<Stored?> ClaimAsync(long callerId, string key, byte[] requestHash) => Submit(new Work(Kind.Claim, callerId, key, requestHash));

    /// <summary>
    /// Queues the answer of a claimed key, to be replayed to retries. The request does not wait for it to be written:
    /// the store writes in the order it is asked, so a retry sent once this answer reached the phone claims after it,
    /// and finds it. (A retry that reaches another instance first is answered 409 with Retry-After, as one that
    /// overtakes its request.)
    /// </summary>
    public void Answer(long callerId, string key, int status, string? contentType, byte[] body) =>
        Enqueue(new Work(Kind.Answer, callerId, key, Status: status, ContentType: contentType, Body: body));

    /// <summary>Queues freeing a claimed key whose request failed, so a retry runs it again; in order, as answers are.</summary>
    public void Release(long callerId, string key) => Enqueue(new Work(Kind.Release, callerId, key));

    private Task<Stored?> Submit(Work work)
    {
        Enqueue(work);
        return work.Done.Task;
    }

    protected override void Fail(Work item, Exception error)
    {
        if (item.Kind == Kind.Claim)
        {
            item.Done.TrySetException(error);
        }
        else
        {
            // Nobody waits for an answer or a release: its request has ended.
            logger.LogWarning(error, "An Idempotency-Key {Kind} of caller {CallerId} was not written; a retry with that key is answered 409 until the clean-up job frees it",
                item.Kind, item.CallerId);
        }
    }

    // An answer too large to share a batch's packet is written in a batch of its own.
    protected override bool Joins(List<Work> batch, Work next) => !Large(batch[0]) && !Large(next);

    private static bool Large(Work work) => work.Body is { Length: > MaxBatchedAnswer };

    protected override void Write(List<Work> batch)
    {
        try
        {
            WriteTogether(batch);
            return;
        }
        catch (MySqlException ex) when (batch.Count > 1)
        {
            // A deadlock with the clean-up job, say: each then on its own, so one bad request never fails the others.
            logger.LogInformation(ex, "A batch of {Count} Idempotency-Key writes was rolled back ({Error}); writing them one at a time", batch.Count, ex.ErrorCode);
        }
        foreach (var work in batch)
        {
            try
            {
                WriteTogether([work]);
            }
            catch (Exception ex)
            {
                Fail(work, ex);
            }
        }
    }

    private void WriteTogether(List<Work> batch)
    {
        var claims = batch.Where(w => w.Kind == Kind.Claim).ToList();
        var answers = batch.Where(w => w.Kind == Kind.Answer).ToList();
        var releases = batch.Where(w => w.Kind == Kind.Release).ToList();
        var args = new
        {
            releases = Json(releases.Select(w => new object[] { w.CallerId, w.Key })),
            claims = Json(claims.Select(w => new object[] { w.CallerId, w.Key, Convert.ToHexString(w.Hash!), Convert.ToHexString(w.Token) })),
            answers = Json(answers.Select(w => new object?[] { w.CallerId, w.Key, w.Status, w.ContentType, Convert.ToBase64String(w.Body!) })),
            now = Time.DbUtcNow(),
        };

        List<ClaimedRow> claimed;
        try
        {
            claimed = WriterConnection().Query<ClaimedRow>(new CommandDefinition(WriteBatch, args)).ToList();
        }
        catch
        {
            // The transaction is the batch's own, begun in its text.
            AbandonWriterConnection();
            throw;
        }

        var byIdx = claimed.ToDictionary(row => row.Idx);
        for (var i = 0; i < claims.Count; i++)
        {
            var work = claims[i];
            // FOR ORDINALITY counts from 1.
            if (!byIdx.TryGetValue(i + 1, out var row))
            {
                work.Done.TrySetException(new InvalidOperationException("A claimed Idempotency-Key was not found in the same transaction."));
            }
            else if (row.ClaimToken is { } token && token.AsSpan().SequenceEqual(work.Token))
            {
                work.Done.TrySetResult(null);
            }
            else
            {
                work.Done.TrySetResult(row);
            }
        }
        foreach (var work in answers.Concat(releases))
        {
            work.Done.TrySetResult(null);
        }
    }

    private static string Json<T>(IEnumerable<T> rows) => JsonSerializer.Serialize(rows);
}
