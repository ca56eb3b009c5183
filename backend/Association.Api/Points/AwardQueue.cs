using System.Threading.Channels;
using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>
/// Group commit for API awards: requests that arrive while a batch is being written wait for the next one, which
/// takes them all (up to <see cref="MaxBatch"/>) in one transaction (<see cref="AwardBatch"/>). Under load a request
/// waits for at most the batch in flight and its own; alone it is written at once. A batch that fails is undone and
/// its awards are made one at a time, so one bad award never fails the others.
/// The writer is a thread of its own with a connection of its own that only ever does synchronous I/O: it sleeps in the
/// socket read and wakes when MariaDB answers. An asynchronous read would wake through the thread pool, where under load
/// the answer waited behind the requests queued there, about a millisecond per round trip, two round trips per batch.
/// </summary>
public sealed class AwardQueue(MySqlDataSource db, TimeProvider time, ILogger<AwardQueue> logger) : BackgroundService
{
    public const int MaxBatch = 128;

    private sealed record Pending(AwardCommand Command, TaskCompletionSource<AwardResult> Result);

    private MySqlConnection? _connection;
    private long _lastUsed;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task<AwardResult> AwardAsync(AwardCommand command)
    {
        var pending = new Pending(command, new TaskCompletionSource<AwardResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The service is stopping; awards are no longer taken.");
        }
        return pending.Result.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => WriteUntilStopped(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void WriteUntilStopped(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (_pending.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }
                // Not the stopping token: a batch is written whole or not at all, and requests wait for it.
                Write(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // The web server has drained its requests before hosted services stop; whatever is left was abandoned.
            _pending.Writer.TryComplete();
            while (_pending.Reader.TryRead(out var left))
            {
                left.Result.TrySetException(new InvalidOperationException("The service stopped before the award was written."));
            }
        }
    }

    private void Write(List<Pending> batch)
    {
        var now = time.DbUtcNow();
        try
        {
            var connection = WriterConnection();
            var results = AwardBatch.RunAndCommit(connection, batch.Select(p => p.Command).ToList(), now);
            _lastUsed = time.GetTimestamp();
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
        RollBack();
        CloseWriterConnection();
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

    /// <summary>
    /// The writer keeps its connection between batches: taking one from the pool costs a reset round trip per batch.
    /// It is outside the pool, so no asynchronous use has ever registered its socket for wake-ups through the thread
    /// pool. After a minute idle it takes a fresh one rather than find out that the server closed it.
    /// </summary>
    private MySqlConnection WriterConnection()
    {
        if (_connection is not null && time.GetElapsedTime(_lastUsed) > TimeSpan.FromMinutes(1))
        {
            CloseWriterConnection();
        }
        if (_connection is null)
        {
            var connection = new MySqlConnection(new MySqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            _connection = connection;
        }
        return _connection;
    }

    /// <summary>The batch's transaction is its own (begun in SQL), so it is ended here before the connection goes.</summary>
    private void RollBack()
    {
        try
        {
            if (_connection is { State: System.Data.ConnectionState.Open })
            {
                _connection.Execute("ROLLBACK");
            }
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException)
        {
            // A broken connection: the server rolls the transaction back when the session ends.
        }
    }

    private void CloseWriterConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Returns once the writer's thread has ended, so the connection is no longer in use.
        await base.StopAsync(cancellationToken);
        CloseWriterConnection();
    }

    /// <summary>One award in its own transaction, as every other path that earns points makes it.</summary>
    private async Task<AwardResult> AwardOneAsync(AwardCommand award)
    {
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation);
        var member = await PointsApi.ReadMemberAccessAsync(connection, transaction, award.MemberId, award.CallerId, CancellationToken.None);
        if (member is null)
        {
            return new AwardResult(AwardDecision.MemberNotFound);
        }
        if (AwardResult.Refusal(member.Sees, member.UserId, member.Status, award.CallerId) is { } refused)
        {
            return refused;
        }
        var outcome = await PointsLedger.AwardAsync(connection, transaction, award.MemberId, award.WorkKind,
            award.SourceKind, award.SourceId, award.Units, award.OccurredAt, award.CallerId, now, CancellationToken.None);
        if (outcome.Refusal == AwardRefusal.UnknownRule)
        {
            return new AwardResult(AwardDecision.UnknownRule);
        }
        await transaction.CommitAsync();
        var entry = await PointStatementsApi.ReadEntryAsync(connection, outcome.EntryId!.Value, CancellationToken.None);
        return new AwardResult(outcome.AlreadyAwarded ? AwardDecision.AlreadyAwarded : AwardDecision.Awarded, entry);
    }
}
