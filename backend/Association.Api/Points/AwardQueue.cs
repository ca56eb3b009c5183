using Association.Api.Platform.Database;
using Association.Api.Platform.Http;
using Microsoft.Extensions.Options;
using MySqlConnector;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Association.Api.Points;

/// <summary>
/// Group commit for API awards (<see cref="BatchWriter{TItem}"/>): the awards that arrive while a batch is written are
/// written together in one transaction (<see cref="AwardBatch"/>). A batch that fails is undone and its awards are
/// made one at a time, so one bad award never fails the others.
/// </summary>
public sealed class AwardQueue(MySqlDataSource db, TimeProvider time, IOptions<JsonOptions> json, ILogger<AwardQueue> logger)
    : BatchWriter<AwardQueue.Pending>(db, time)
{
    /// <summary>The JSON the API answers an entry with, stored as the answer of the award's Idempotency-Key.</summary>
    private byte[] AnswerBody(PointEntry entry) => IdempotentWrite.Body(json.Value.SerializerOptions, entry);

    public sealed record Pending(AwardCommand Command, TaskCompletionSource<AwardResult> Result);

    protected override int MaxBatch => 128;

    public Task<AwardResult> AwardAsync(AwardCommand command)
    {
        var pending = new Pending(command, new TaskCompletionSource<AwardResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(pending);
        return pending.Result.Task;
    }

    protected override void Fail(Pending item, Exception error) => item.Result.TrySetException(error);

    protected override void Write(List<Pending> batch)
    {
        var now = Time.DbUtcNow();
        try
        {
            var results = AwardBatch.RunAndCommit(WriterConnection(), batch.Select(p => p.Command).ToList(), now);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
            return;
        }
        catch (MySqlException ex)
        {
            logger.LogInformation(ex, "A batch of {Count} awards was rolled back ({Error}); making them one at a time", batch.Count, ex.ErrorCode);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A batch of {Count} awards failed; making them one at a time", batch.Count);
        }
        AbandonWriterConnection();
        // The writer waits for these: the next batch may hold the same members and sources.
        Task.WhenAll(batch.Select(async pending =>
        {
            try
            {
                pending.Result.TrySetResult(await AwardOneAsync(pending.Command));
            }
            catch (Exception ex)
            {
                pending.Result.TrySetException(ex);
            }
        })).GetAwaiter().GetResult();
    }

    /// <summary>One award in its own transaction, as every other path that earns points makes it.</summary>
    private async Task<AwardResult> AwardOneAsync(AwardCommand award)
    {
        var now = Time.DbUtcNow();
        await using var connection = await Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation);
        if (award.Claim is { } claim)
        {
            try
            {
                await IdempotentWrite.ClaimAsync(claim, connection, transaction, now, CancellationToken.None);
            }
            catch (IdempotencyKeyTakenException)
            {
                return new AwardResult(AwardDecision.KeyTaken);
            }
        }
        var member = await PointsAccess.ReadMemberAsync(connection, transaction, award.MemberId, award.CallerId, CancellationToken.None);
        if (member.Refusal(LedgerWrite.Award, award.CallerId) is { } refused)
        {
            return AwardResult.Refused(refused, member?.Status ?? "");
        }
        if (!await AwardSources.IsMembersVerifiedWorkAsync(connection, transaction, award, CancellationToken.None))
        {
            return new AwardResult(AwardDecision.SourceNotFound);
        }
        var result = await PointsLedger.AwardAsync(connection, transaction, award.MemberId, award.WorkKind,
            award.SourceKind, award.SourceId, award.Units, award.OccurredAt, award.CallerId, now, CancellationToken.None);
        if (result.EntryId is not { } entryId)
        {
            return result;
        }
        var entry = await PointEntries.ReadAsync(connection, transaction, entryId, CancellationToken.None);
        if (award.Claim is { } answered)
        {
            var status = result.Decision == AwardDecision.Awarded ? StatusCodes.Status201Created : StatusCodes.Status200OK;
            await IdempotentWrite.StoreAnswerAsync(answered, connection, transaction, status, AnswerBody(entry), now, CancellationToken.None);
        }
        await transaction.CommitAsync();
        return result with { Entry = entry };
    }
}
