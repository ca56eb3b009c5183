using System.Text.Json;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Redis;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Api.Rankings;

/// <summary>
/// The running quarter's live leaderboards, from Redis sorted sets kept current by the outbox
/// publisher. When Redis is down or a board is missing, the same answers come from MariaDB.
/// </summary>
public static class LeaderboardsApi
{
    public static RouteGroupBuilder MapLeaderboardsApi(this RouteGroupBuilder api)
    {

        api.MapGet("/me", GetMyLiveStanding)
            .WithSummary("My live rank this quarter in my grid, village and sub-district, with the members just above and below")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{scope}/{scopeId}", GetLeaderboard)
            .WithSummary("The live top of a grid, village or sub-district this quarter")
            .ProducesValidationProblem();

        return api;
    }

    // The caller's member id and the three scopes their points count in, in one read.
    private const string Me = """
        SELECT m.id AS member_id, g.id AS grid_id, v.id AS village_id, s.id AS sub_district_id
          FROM members m JOIN org_units g ON g.id = m.grid_id JOIN org_units v ON v.id = g.parent_id JOIN org_units s ON s.id = v.parent_id
         WHERE m.user_id = @callerId
        """;

    private sealed record MeRow(long MemberId, long GridId, long VillageId, long SubDistrictId);

    // The MariaDB answer: the same ranking over the live period totals of one scope.
    private const string Ranked = """
        SELECT member_id, points, CAST(RANK() OVER (ORDER BY points DESC) AS SIGNED) AS rank_no,
               CAST(ROW_NUMBER() OVER (ORDER BY points DESC, member_id) AS SIGNED) AS position
          FROM (SELECT m.id AS member_id, pp.points
                  FROM member_period_points pp
                  JOIN members m ON m.id = pp.member_id
                  JOIN org_units g ON g.id = m.grid_id
                  JOIN org_units v ON v.id = g.parent_id
                 WHERE pp.period = @quarter AND pp.points <> 0
                   AND CASE @scope WHEN 'Grid' THEN g.id WHEN 'Village' THEN v.id ELSE v.parent_id END = @scopeId) scoped
        """;

    private sealed record RankedRow(long MemberId, int Points, long RankNo, long Position);

    // The read path of every member's ranking page. A recent answer is sent as the bytes it was; otherwise a warm
    // board costs one ZREVRANGE with names from memory, and MariaDB is not touched (the session is cached too).
    public static async Task<Results<JsonBytes<LeaderboardView>, ValidationProblem>> GetLeaderboard(
        RankingScope scope, long scopeId, MySqlDataSource db, RedisBreaker redis, RedisKeys keys, MemberNames names,
        LeaderboardAnswers answers, IOptions<JsonOptions> json, TimeProvider time, CancellationToken ct, [InRange(1, RankingsApi.MaxTop)] int top = 20)
    {
        var quarter = Quarter.Current(time).ToString();
        var board = new LeaderboardAnswers.Board(quarter, scope, scopeId, top);
        if (answers.TryGet(board, out var cached))
        {
            return new JsonBytes<LeaderboardView>(cached);
        }
        var readAt = ForgetMarks.Now();
        var rows = await TryTopFromRedisAsync(redis, keys.Leaderboard(quarter, scope.ToString(), scopeId), top);
        var source = rows is null ? "MariaDB" : "Redis";
        if (rows is null)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            rows = (await connection.QueryAsync<RankedRow>(new CommandDefinition(Ranked + " ORDER BY position LIMIT @top",
                new { quarter, scope = scope.ToString(), scopeId, top }, cancellationToken: ct))).ToList();
        }
        var view = new LeaderboardView(quarter, scope, scopeId, source, await NamedAsync(names, rows, ct));
        var bytes = JsonSerializer.SerializeToUtf8Bytes(view, json.Value.SerializerOptions);
        if (source == "Redis")
        {
            // Only Redis answers: the invalidations that keep them fresh travel through Redis.
            answers.Store(board, bytes, readAt);
        }
        return new JsonBytes<LeaderboardView>(bytes);
    }

    public static async Task<Results<Ok<MyLiveStanding>, ProblemHttpResult>> GetMyLiveStanding(
        HttpContext http, MySqlDataSource db, RedisBreaker redis, RedisKeys keys, MemberNames names, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var quarter = Quarter.Current(time).ToString();
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.QuerySingleOrDefaultAsync<MeRow>(new CommandDefinition(Me, new { callerId }, cancellationToken: ct)) is not { } me)
        {
            return Problems.NotAMember();
        }
        var memberId = me.MemberId;
        var scopes = new Leaderboard.Scopes(me.GridId, me.VillageId, me.SubDistrictId);
        var standings = new List<LiveStanding>();
        var source = "Redis";
        foreach (var (scope, scopeId) in scopes.All)
        {
            var around = await TryAroundFromRedisAsync(redis, keys.Leaderboard(quarter, scope, scopeId), memberId);
            if (around is null)
            {
                source = "MariaDB";
                var all = (await connection.QueryAsync<RankedRow>(new CommandDefinition(Ranked + " ORDER BY position",
                    new { quarter, scope, scopeId }, cancellationToken: ct))).ToList();
                var at = all.FindIndex(r => r.MemberId == memberId);
                around = at < 0 ? [] : all.Skip(Math.Max(0, at - 1)).Take(at == 0 ? 2 : 3).ToList();
            }
            var mine = around.FirstOrDefault(r => r.MemberId == memberId);
            var entries = await NamedAsync(names, around, ct);
            standings.Add(new LiveStanding(Enum.Parse<RankingScope>(scope), scopeId, mine is null ? 0 : (int)mine.RankNo, mine?.Points ?? 0, entries));
        }
        return TypedResults.Ok(new MyLiveStanding(quarter, source, standings));
    }

    /// <summary>Null when Redis cannot answer (down, hung, or the board is not built): the caller asks MariaDB.</summary>
    private static async Task<List<RankedRow>?> TryTopFromRedisAsync(RedisBreaker breaker, RedisKey key, int top) =>
        (await breaker.TryAsync(async redis =>
        {
            var entries = await redis.SortedSetRangeByRankWithScoresAsync(key, 0, top - 1, Order.Descending);
            // An empty answer is either an empty board or one not built yet; only the second goes to MariaDB.
            if (entries.Length == 0 && !await redis.KeyExistsAsync(key))
            {
                return null;
            }
            return WithRanks(entries, firstPosition: 1, firstRank: 1);
        })).Value;

    private static async Task<List<RankedRow>?> TryAroundFromRedisAsync(RedisBreaker breaker, RedisKey key, long memberId) =>
        (await breaker.TryAsync(async redis =>
        {
            if (!await redis.KeyExistsAsync(key))
            {
                return null;
            }
            var position = await redis.SortedSetRankAsync(key, Leaderboard.Member(memberId), Order.Descending);
            if (position is null)
            {
                return [];
            }
            var from = Math.Max(0, position.Value - 1);
            var entries = await redis.SortedSetRangeByRankWithScoresAsync(key, from, position.Value + 1, Order.Descending);
            // A rank is one more than the number of strictly higher scores, so ties share it.
            var firstRank = 1 + (int)await redis.SortedSetLengthAsync(key, entries[0].Score, double.PositiveInfinity, Exclude.Start);
            return WithRanks(entries, (int)from + 1, firstRank);
        })).Value;

    private static List<RankedRow> WithRanks(SortedSetEntry[] entries, int firstPosition, int firstRank)
    {
        var rows = new List<RankedRow>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var rank = i == 0 ? firstRank : entries[i].Score == entries[i - 1].Score ? (int)rows[i - 1].RankNo : firstPosition + i;
            rows.Add(new RankedRow(Leaderboard.MemberId(entries[i].Element), (int)entries[i].Score, rank, firstPosition + i));
        }
        return rows;
    }

    private static async Task<IReadOnlyList<RankingEntry>> NamedAsync(MemberNames names, IReadOnlyList<RankedRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var masked = await names.MaskedAsync(rows.Select(r => r.MemberId).ToList(), ct);
        return rows.Select(r => new RankingEntry((int)r.RankNo, (int)r.Position, r.MemberId,
            masked.GetValueOrDefault(r.MemberId, MemberNames.Anonymous), r.Points)).ToList();
    }
}
