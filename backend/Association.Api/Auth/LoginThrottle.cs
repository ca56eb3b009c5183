using Association.Api.Platform.Auth;
using Association.Api.Platform.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Auth;

/// <summary>
/// Sign-ins per WeChat user per minute, counted in Redis so every instance shares the count.
/// If Redis is down the limit is not enforced (the per-address limit still is): signing in matters more.
/// </summary>
public sealed partial class LoginThrottle(IConnectionMultiplexer redis, RedisKeys keys, IOptions<AuthOptions> options, ILogger<LoginThrottle> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Null when allowed; otherwise how long to wait.</summary>
    public async Task<TimeSpan?> TryEnterAsync(string openId)
    {
        try
        {
            var key = keys.LoginAttempts(openId);
            var db = redis.GetDatabase();
            var count = await db.StringIncrementAsync(key);
            if (count == 1)
            {
                await db.KeyExpireAsync(key, Window);
            }
            if (count <= options.Value.LoginsPerOpenIdPerMinute)
            {
                return null;
            }
            return await db.KeyTimeToLiveAsync(key) ?? Window;
        }
        catch (RedisException)
        {
            LogRedisDown(logger);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Redis unavailable: per-user sign-in limit not enforced")]
    private static partial void LogRedisDown(ILogger logger);
}
