using Association.Api.Platform.Redis;
using Dapper;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Api.Rankings;

/// <summary>
/// Rebuilds a quarter's leaderboards from MariaDB: each into a new key by small ZADD batches, then
/// RENAMEd over the live one (Redis frees the old value lazily), so nothing big blocks Redis while it
/// serves. Outbox rows the snapshot already counts are dropped, under the same lock the publisher takes.
/// </summary>
public sealed class LeaderboardRebuilder(MySqlDataSource db, IConnectionMultiplexer redis, RedisKeys keys, LeaderboardAnswers answers)
{
    // Small enough that no single ZADD holds Redis for more than a few milliseconds.
    private const int ChunkSize = 200;

    private const string OutboxIds = "SELECT id FROM leaderboard_outbox WHERE quarter = @quarter";

    private const string Totals = """
        SELECT pp.member_id, pp.points, g.id AS grid_id, v.id AS village_id, s.id AS sub_district_id
          FROM member_period_points pp
          JOIN members m ON m.id = pp.member_id
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units v ON v.id = g.parent_id
          JOIN org_units s ON s.id = v.parent_id
         WHERE pp.period = @quarter AND pp.points <> 0
         ORDER BY s.id, v.id, g.id
        """;

    private const string DropCounted = "DELETE FROM leaderboard_outbox WHERE id IN @ids";

    private sealed record Total(long MemberId, int Points, long GridId, long VillageId, long SubDistrictId);

    public async Task RebuildAsync(string quarter, CancellationToken ct)
    {
        var database = redis.GetDatabase();
        var token = Guid.NewGuid().ToString("N");
        await Leaderboard.LockAsync(database, keys, token, TimeSpan.FromMinutes(5), ct);
        try
        {
            List<long> counted;
            var build = new BoardBuild(database, keys, quarter, buildId: token);
            await using var connection = await db.OpenConnectionAsync(ct);
            // One snapshot for both reads: the outbox rows it shows are exactly those its totals include. Totals come
            // grouped by sub-district, village and grid, so each board is swapped in as soon as it is complete and its
            // old value freed: Redis holds little more than the live boards, and the job a chunk per open board.
            await using (var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
            {
                counted = (await connection.QueryAsync<long>(new CommandDefinition(OutboxIds, new { quarter }, snapshot, cancellationToken: ct))).ToList();
                await foreach (var total in connection.QueryUnbufferedAsync<Total>(Totals, new { quarter }, snapshot, commandTimeout: 600).WithCancellation(ct))
                {
                    await build.AddAsync(total.MemberId, total.Points, new Leaderboard.Scopes(total.GridId, total.VillageId, total.SubDistrictId));
                }
                await snapshot.CommitAsync(ct);
            }
            await build.CompleteAllAsync();
            foreach (var chunk in counted.Chunk(ChunkSize))
            {
                await connection.ExecuteAsync(new CommandDefinition(DropCounted, new { ids = chunk }, cancellationToken: ct));
            }
            await answers.AllChangedAsync();
        }
        finally
        {
            await Leaderboard.ReleaseAsync(database, keys, token);
        }
    }

    /// <summary>Boards being built; a board is complete once the ordered totals move past its scope.</summary>
    private sealed class BoardBuild(IDatabase database, RedisKeys keys, string quarter, string buildId)
    {
        private readonly Dictionary<(string Scope, long Id), List<SortedSetEntry>> _open = [];

        public async Task AddAsync(long memberId, int points, Leaderboard.Scopes scopes)
        {
            foreach (var scope in scopes.All)
            {
                if (!_open.TryGetValue(scope, out var chunk))
                {
                    // A new grid (or village, sub-district) means the previous one of its kind is complete.
                    foreach (var done in _open.Keys.Where(k => k.Scope == scope.Scope).ToList())
                    {
                        await CompleteAsync(done);
                    }
                    _open[scope] = chunk = new List<SortedSetEntry>(ChunkSize);
                }
                chunk.Add(new SortedSetEntry(Leaderboard.Member(memberId), points));
                if (chunk.Count == ChunkSize)
                {
                    await database.SortedSetAddAsync(keys.LeaderboardBuild(quarter, scope.Scope, scope.Id, buildId), chunk.ToArray());
                    chunk.Clear();
                }
            }
        }

        public async Task CompleteAllAsync()
        {
            foreach (var scope in _open.Keys.ToList())
            {
                await CompleteAsync(scope);
            }
        }

        private async Task CompleteAsync((string Scope, long Id) scope)
        {
            var rest = _open[scope];
            _open.Remove(scope);
            var key = keys.LeaderboardBuild(quarter, scope.Scope, scope.Id, buildId);
            if (rest.Count > 0)
            {
                await database.SortedSetAddAsync(key, rest.ToArray());
            }
            await database.KeyExpireAsync(key, Leaderboard.KeepFor);
            await database.KeyRenameAsync(key, keys.Leaderboard(quarter, scope.Scope, scope.Id));
        }
    }
}
