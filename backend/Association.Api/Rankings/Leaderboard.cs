using Association.Api.Platform.Redis;
using StackExchange.Redis;

namespace Association.Api.Rankings;

/// <summary>
/// How members sit in a leaderboard sorted set. Equal scores are ordered by the member string, and
/// ZREVRANGE reverses that, so the member is written as (10^12 - id) in 12 digits: reversed text order
/// is then ascending member id, the same tie order as the quarterly rankings.
/// </summary>
public static class Leaderboard
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(200);

    private const long Ceiling = 999_999_999_999;

    public static RedisValue Member(long memberId) => (Ceiling - memberId).ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public static long MemberId(RedisValue member) => Ceiling - long.Parse(member.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The grid, village and sub-district a member's points count in.</summary>
    public sealed record Scopes(long GridId, long VillageId, long SubDistrictId)
    {
        public IEnumerable<(string Scope, long Id)> All =>
            [(nameof(RankingScope.Grid), GridId), (nameof(RankingScope.Village), VillageId), (nameof(RankingScope.SubDistrict), SubDistrictId)];
    }

    /// <summary>Takes the leaderboard lock; false while another holder has it. The token releases only our own lock.</summary>
    public static async Task<bool> TryLockAsync(IDatabase redis, RedisKeys keys, string token, TimeSpan lease) =>
        await redis.StringSetAsync(keys.LeaderboardLock, token, lease, When.NotExists);

    /// <summary>Waits for the leaderboard lock (a pass or a rebuild holds it for seconds at most), up to a minute.</summary>
    public static async Task LockAsync(IDatabase redis, RedisKeys keys, string token, TimeSpan lease, CancellationToken ct)
    {
        for (var waited = 0; !await TryLockAsync(redis, keys, token, lease); waited++)
        {
            if (waited > 300)
            {
                throw new TimeoutException("The leaderboard lock stayed taken for a minute.");
            }
            await Task.Delay(200, ct);
        }
    }

    public static Task ReleaseAsync(IDatabase redis, RedisKeys keys, string token) =>
        redis.ScriptEvaluateAsync("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            [keys.LeaderboardLock], [token]);
}
