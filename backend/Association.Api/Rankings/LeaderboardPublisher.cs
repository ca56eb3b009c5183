using System.Text.Json;
using Association.Api.Platform.Redis;
using Dapper;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Api.Rankings;

/// <summary>
/// Moves committed points changes from leaderboard_outbox into the Redis sorted sets, a batch at a time.
/// Rows are claimed with SKIP LOCKED, so several instances share the work without applying a row twice,
/// and deleted in the same transaction once Redis has them. While Redis is down the rows wait.
/// </summary>
public sealed partial class LeaderboardPublisher(
    MySqlDataSource db, IConnectionMultiplexer redis, RedisKeys keys, LeaderboardAnswers answers, ILogger<LeaderboardPublisher> logger)
    : BackgroundService
{
    // A pass that emptied the outbox waits this long before the next, so that under load each pass carries the
    // changes of many award transactions rather than one (a pass costs a transaction and a dozen Redis round trips
    // whatever it carries). Boards trail the ledger by about this much.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    // Rows, each one transaction's changes in one quarter (a batch of awards writes one).
    internal const int ClaimSize = 200;

    // Locks outbox rows only: a locking read over the join would also lock the members' rows and their grid,
    // village and sub-district rows while Redis is written, in the way of every award and org change.
    internal const string Claim = """
        SELECT id, quarter, changes FROM leaderboard_outbox ORDER BY id LIMIT @claimSize FOR UPDATE SKIP LOCKED
        """;

    // The claim locks the rows it returns and nothing else. Under REPEATABLE READ a claim that read to the end of the
    // outbox also locked the gap after the last row, so every award's outbox insert waited until Redis had been
    // written and this transaction committed.
    internal const System.Data.IsolationLevel ClaimIsolation = System.Data.IsolationLevel.ReadCommitted;

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // The ids travel as one JSON array: under load a pass names over a thousand members, and as a list each would be
    // a parameter to bind and to substitute into a statement text that changes with every pass.
    private const string ScopesOf = """
        SELECT m.id AS member_id, g.id AS grid_id, v.id AS village_id, s.id AS sub_district_id
          FROM JSON_TABLE(@memberIds, '$[*]' COLUMNS (id BIGINT PATH '$')) ids
          JOIN members m ON m.id = ids.id
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units v ON v.id = g.parent_id
          JOIN org_units s ON s.id = v.parent_id
        """;

    private const string Done = "DELETE FROM leaderboard_outbox WHERE id IN @ids";

    private sealed record OutboxRow(long Id, string Quarter, string Changes);

    private sealed record Change(long MemberId, string Quarter, int Points);

    private sealed record MemberScopes(long MemberId, long GridId, long VillageId, long SubDistrictId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await PublishBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or MySqlException or TimeoutException)
            {
                LogWaiting(logger, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            if (published < ClaimSize)
            {
                await Task.Delay(Gather, stoppingToken);
            }
        }
    }

    /// <summary>One pass; returns how many outbox rows reached Redis, 0 when another pass holds the lock.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken ct)
    {
        var database = redis.GetDatabase();
        var token = Guid.NewGuid().ToString("N");
        if (!await Leaderboard.TryLockAsync(database, keys, token, Lease))
        {
            return 0;
        }
        try
        {
            return await PublishHeldAsync(database, ct);
        }
        finally
        {
            await Leaderboard.ReleaseAsync(database, keys, token);
        }
    }

    /// <summary>
    /// Publishes until the outbox is empty, for tests and tools that read the boards next. Unlike a pass it waits for
    /// the lock: a pass that skipped while the background loop (or another instance) held it would return while
    /// that pass's rows were still on their way to Redis.
    /// </summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        var database = redis.GetDatabase();
        var token = Guid.NewGuid().ToString("N");
        await Leaderboard.LockAsync(database, keys, token, Lease, ct);
        try
        {
            while (await PublishHeldAsync(database, ct) > 0)
            {
            }
        }
        finally
        {
            await Leaderboard.ReleaseAsync(database, keys, token);
        }
    }

    private async Task<int> PublishHeldAsync(IDatabase database, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ClaimIsolation, ct);
        var claimed = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(Claim, new { claimSize = ClaimSize }, transaction, cancellationToken: ct))).ToList();
        if (claimed.Count == 0)
        {
            return 0;
        }
        var changes = claimed.SelectMany(row => JsonSerializer.Deserialize<long[][]>(row.Changes)!
            .Select(change => new Change(change[0], row.Quarter, checked((int)change[1])))).ToList();
        var scopesOf = (await connection.QueryAsync<MemberScopes>(new CommandDefinition(ScopesOf,
            new { memberIds = JsonSerializer.Serialize(changes.Select(c => c.MemberId).Distinct()) }, transaction, cancellationToken: ct))).ToDictionary(m => m.MemberId);
        var batch = database.CreateBatch();
        var writes = new List<Task>();
        var changedScopes = new HashSet<long>();
        var changedKeys = new HashSet<RedisKey>();
        // One increment per member and quarter, however many awards the pass carries for them.
        foreach (var change in changes.GroupBy(c => (c.MemberId, c.Quarter), (key, group) => (key.MemberId, key.Quarter, Points: group.Sum(c => c.Points))))
        {
            if (change.Points == 0 || !scopesOf.TryGetValue(change.MemberId, out var member))
            {
                continue;
            }
            changedScopes.UnionWith([member.GridId, member.VillageId, member.SubDistrictId]);
            foreach (var (scope, id) in new Leaderboard.Scopes(member.GridId, member.VillageId, member.SubDistrictId).All)
            {
                var key = keys.Leaderboard(change.Quarter, scope, id);
                writes.Add(batch.SortedSetIncrementAsync(key, Leaderboard.Member(change.MemberId), change.Points));
                changedKeys.Add(key);
            }
        }
        writes.AddRange(changedKeys.Select(key => batch.KeyExpireAsync(key, Leaderboard.KeepFor)));
        batch.Execute();
        await Task.WhenAll(writes);
        await connection.ExecuteAsync(new CommandDefinition(Done, new { ids = claimed.Select(c => c.Id).ToList() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        await answers.ChangedAsync(changedScopes);
        return claimed.Count;
    }

    [LoggerMessage(LogLevel.Warning, "Leaderboard changes wait in the outbox ({Reason})")]
    private static partial void LogWaiting(ILogger logger, string reason);
}
