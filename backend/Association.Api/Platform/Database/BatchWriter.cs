using System.Threading.Channels;
using Dapper;
using MySqlConnector;

namespace Association.Api.Platform.Database;

/// <summary>
/// Group commit: what requests ask for while a batch is being written waits for the next one, which takes it all (up
/// to <see cref="MaxBatch"/>) in one transaction. Under load a request waits for at most the batch in flight and its
/// own; alone it is written at once.
/// The writer is a thread of its own with a connection of its own that only ever does synchronous I/O: it sleeps in
/// the socket read and wakes when MariaDB answers. An asynchronous read would wake through the thread pool, where under
/// load the answer would wait behind the requests queued there.
/// </summary>
public abstract class BatchWriter<TItem>(MySqlDataSource db, TimeProvider time) : BackgroundService
{
    protected MySqlDataSource Db { get; } = db;

    protected TimeProvider Time { get; } = time;

    private readonly Channel<TItem> _pending = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleReader = true });

    private MySqlConnection? _connection;
    private long _lastUsed;

    protected abstract int MaxBatch { get; }

    /// <summary>Writes the batch and completes its items, on the writer's thread; an exception fails the items not completed.</summary>
    protected abstract void Write(List<TItem> batch);

    protected abstract void Fail(TItem item, Exception error);

    /// <summary>Whether <paramref name="next"/> may join the batch gathered so far (which holds at least one item).</summary>
    protected virtual bool Joins(List<TItem> batch, TItem next) => true;

    protected void Enqueue(TItem item)
    {
        if (!_pending.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("The service is stopping; no more writes are taken.");
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => WriteUntilStopped(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void WriteUntilStopped(CancellationToken stoppingToken)
    {
        var batch = new List<TItem>(MaxBatch);
        try
        {
            while (_pending.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                WriteNextBatch(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Nothing new is taken, but what was asked before the stop is still written: some of it is queued once its
            // request has been answered (Idempotency-Key answers), and the web server has drained its requests by now.
            _pending.Writer.TryComplete();
            while (_pending.Reader.TryPeek(out _))
            {
                WriteNextBatch(batch);
            }
            // Closed on the writer's own thread: a stop that gives up waiting must not close it under a batch.
            CloseWriterConnection();
        }
    }

    private void WriteNextBatch(List<TItem> batch)
    {
        while (batch.Count < MaxBatch && _pending.Reader.TryPeek(out var next) && (batch.Count == 0 || Joins(batch, next)))
        {
            _pending.Reader.TryRead(out _);
            batch.Add(next);
        }
        // Not the stopping token: a batch is written whole or not at all, and requests wait for it.
        try
        {
            Write(batch);
        }
        catch (Exception ex)
        {
            batch.ForEach(item => Fail(item, ex));
        }
        batch.Clear();
    }

    /// <summary>
    /// The writer keeps its connection between batches: taking one from the pool costs a reset round trip per batch.
    /// It is outside the pool, so no asynchronous use has ever registered its socket for wake-ups through the thread
    /// pool. After a minute idle it takes a fresh one rather than find out that the server closed it.
    /// </summary>
    protected MySqlConnection WriterConnection()
    {
        if (_connection is not null && Time.GetElapsedTime(_lastUsed) > TimeSpan.FromMinutes(1))
        {
            CloseWriterConnection();
        }
        if (_connection is null)
        {
            var connection = new MySqlConnection(new MySqlConnectionStringBuilder(Db.ConnectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            _connection = connection;
        }
        _lastUsed = Time.GetTimestamp();
        return _connection;
    }

    /// <summary>After a batch failed: its transaction (begun in SQL) is ended here and the connection is not used again.</summary>
    protected void AbandonWriterConnection()
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
        CloseWriterConnection();
    }

    private void CloseWriterConnection()
    {
        var connection = _connection;
        _connection = null;
        try
        {
            connection?.Dispose();
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException or NullReferenceException)
        {
            // MySqlConnector can fail to close a session the server or a proxy broke under it (CI saw a
            // NullReferenceException from DoCloseAsync); the connection is discarded either way.
        }
    }
}
