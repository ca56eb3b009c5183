using Association.Api.Platform.Database;
using MySqlConnector;

namespace Association.Api.Platform.Http;

/// <summary>
/// Forgets stored Idempotency-Key answers once no phone would still retry them. A key is claimed and answered in its
/// write's transaction, so a claim without an answer only outlives its request in rows written before that was so; those
/// are released too, after a while. Deletes in small batches, so it never holds many locks; running it twice only finds
/// less to delete.
/// </summary>
public sealed class IdempotencyKeysCleanupJob(MySqlDataSource db, TimeProvider time)
{
    /// <summary>Phones retry within minutes; a day covers one that was offline overnight.</summary>
    public static readonly TimeSpan KeepAnswersFor = TimeSpan.FromDays(1);

    /// <summary>Far beyond any request's lifetime (the database command timeout is 30 s).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);

    private const string DropSome = """
        DELETE FROM idempotency_keys
         WHERE created_at < @answersBefore OR (status_code IS NULL AND created_at < @abandonedBefore)
         LIMIT 1000
        """;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var args = new { answersBefore = now - KeepAnswersFor, abandonedBefore = now - AbandonedAfter };
        return await BatchedDelete.RunAsync(db, DropSome, args, ct);
    }
}
