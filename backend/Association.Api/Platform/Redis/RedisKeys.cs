using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Platform.Redis;

/// <summary>
/// Every Redis key of the API is built here, under the configured prefix. Identifiers of people are
/// hashed before they reach a key, so a key listing reveals no openid.
/// </summary>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    private string Prefix => options.Value.KeyPrefix;

    public RedisKey LoginAttempts(string openId) => $"{Prefix}rate:login:{Pseudonym(openId)}";

    /// <summary>A quarter's live leaderboard of one grid, village or sub-district (a sorted set of member ids).</summary>
    public RedisKey Leaderboard(string quarter, string scope, long scopeId) => $"{Prefix}lb:{quarter}:{scope}:{scopeId}";

    /// <summary>Where a rebuild writes before it swaps the result in.</summary>
    public RedisKey LeaderboardBuild(string quarter, string scope, long scopeId, string buildId) => $"{Prefix}lb-build:{buildId}:{quarter}:{scope}:{scopeId}";

    /// <summary>A one-time link to the jobs dashboard; the ticket is random, so it names nobody.</summary>
    public RedisKey DashboardTicket(string ticket) => $"{Prefix}jobs-ticket:{ticket}";

    /// <summary>Held while leaderboards change, so the publisher and a rebuild never interleave.</summary>
    public RedisKey LeaderboardLock => $"{Prefix}lb-lock";

    /// <summary>Pub/sub channel: the user id whose sessions were just revoked, so every instance drops its cached copy.</summary>
    public string SessionsForgotten => $"{Prefix}sessions-forgotten";

    /// <summary>Pub/sub channel: the member id whose name changed (erasure), so every instance drops its cached display name.</summary>
    public string MemberNamesChanged => $"{Prefix}member-names-changed";

    /// <summary>Pub/sub channel: the scope id whose live board changed (0: every board), so cached answers are dropped.</summary>
    public string LeaderboardsChanged => $"{Prefix}leaderboards-changed";

    private static string Pseudonym(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
}
