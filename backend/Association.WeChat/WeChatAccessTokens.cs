using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.WeChat;

/// <summary>
/// The app's WeChat access token, shared by every API instance through Redis. A token is fetched
/// from <c>stable_token</c> only when none valid is cached; a Redis lock keeps that to one fetch at a
/// time across instances, and a local gate to one per process. Redis holds the token, never the
/// AppSecret. When Redis is down the instance falls back to its own in-memory token.
/// </summary>
public sealed partial class WeChatAccessTokens(
    WeChatTransportFactory transports,
    IConnectionMultiplexer redis,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<WeChatAccessTokens> logger)
{
    // Refresh five minutes early so a token never expires between reading it and using it.
    private static readonly TimeSpan EarlyRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LockLease = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WaitForOtherInstance = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private const string ReleaseLockScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
        """;

    private readonly SemaphoreSlim _localGate = new(1, 1);
    private CachedToken? _local;

    private WeChatOptions Options => options.Value;

    private RedisKey TokenKey => $"{Options.RedisKeyPrefix}wechat:access-token:{Options.AppId}";

    private RedisKey LockKey => $"{Options.RedisKeyPrefix}wechat:access-token-lock:{Options.AppId}";

    /// <summary>A valid token: the local copy, else the shared one, else a fresh one.</summary>
    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (_local is { } local && local.IsValid(Now))
        {
            return local.Token;
        }
        return await RefreshAsync(rejected: null, ct);
    }

    /// <summary>
    /// Replaces <paramref name="rejected"/> (a token WeChat just refused), unless another caller or
    /// instance has already done so, in which case their token is returned.
    /// </summary>
    public async Task<string> RefreshAsync(string? rejected, CancellationToken ct)
    {
        await _localGate.WaitAsync(ct);
        try
        {
            if (_local is { } local && local.IsValid(Now) && local.Token != rejected)
            {
                return local.Token;
            }
            var token = await RefreshSharedAsync(rejected, ct);
            _local = token;
            return token.Token;
        }
        finally
        {
            _localGate.Release();
        }
    }

    private async Task<CachedToken> RefreshSharedAsync(string? rejected, CancellationToken ct)
    {
        try
        {
            var db = redis.GetDatabase();
            if (await ReadSharedAsync(db) is { } shared && shared.Token != rejected)
            {
                return shared;
            }

            var lockId = Guid.NewGuid().ToString("N");
            var deadline = Now + WaitForOtherInstance;
            while (!await db.StringSetAsync(LockKey, lockId, LockLease, When.NotExists))
            {
                // Another instance is fetching: wait for its token rather than fetching a second one.
                await Task.Delay(PollInterval, time, ct);
                if (await ReadSharedAsync(db) is { } fetched && fetched.Token != rejected)
                {
                    return fetched;
                }
                if (Now > deadline)
                {
                    throw new WeChatUnavailableException("Timed out waiting for another instance to refresh the WeChat access token.");
                }
            }
            try
            {
                if (await ReadSharedAsync(db) is { } latest && latest.Token != rejected)
                {
                    return latest;
                }
                var token = await FetchAsync(force: rejected is not null, ct);
                await db.StringSetAsync(TokenKey, token.Serialize(), token.ExpiresAt - Now);
                return token;
            }
            finally
            {
                await db.ScriptEvaluateAsync(ReleaseLockScript, [LockKey], [lockId]);
            }
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            LogRedisDown(logger);
            return await FetchAsync(force: rejected is not null, ct);
        }
    }

    private async Task<CachedToken?> ReadSharedAsync(IDatabase db)
    {
        var value = await db.StringGetAsync(TokenKey);
        return value.HasValue && CachedToken.TryParse(value.ToString()) is { } token && token.IsValid(Now) ? token : null;
    }

    private async Task<CachedToken> FetchAsync(bool force, CancellationToken ct)
    {
        var body = new StableTokenRequest("client_credential", Options.AppId, Options.AppSecret, force);
        var answer = await transports.Create().PostAsync<StableTokenResponse>("stable_token", "cgi-bin/stable_token", body, ct);
        if (answer.ErrorCode != 0 || string.IsNullOrEmpty(answer.AccessToken))
        {
            throw WeChatErrorMap.ToException(answer.ErrorCode, answer.ErrorMessage, answer.RequestId);
        }
        LogRefreshed(logger, force, answer.ExpiresIn);
        return new CachedToken(answer.AccessToken, Now + TimeSpan.FromSeconds(answer.ExpiresIn) - EarlyRefresh);
    }

    private DateTimeOffset Now => time.GetUtcNow();

    [LoggerMessage(LogLevel.Information, "WeChat access token refreshed (forced {Forced}, lifetime {ExpiresIn} s)")]
    private static partial void LogRefreshed(ILogger logger, bool forced, int expiresIn);

    [LoggerMessage(LogLevel.Warning, "Redis unavailable: using an instance-local WeChat access token")]
    private static partial void LogRedisDown(ILogger logger);

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt)
    {
        public bool IsValid(DateTimeOffset now) => now < ExpiresAt;

        public string Serialize() => $"{ExpiresAt.ToUnixTimeMilliseconds()}|{Token}";

        public static CachedToken? TryParse(string value)
        {
            var bar = value.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 && long.TryParse(value.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? new CachedToken(value[(bar + 1)..], DateTimeOffset.FromUnixTimeMilliseconds(ms))
                : null;
        }
    }

    private sealed record StableTokenRequest(
        [property: JsonPropertyName("grant_type")] string GrantType,
        [property: JsonPropertyName("appid")] string AppId,
        [property: JsonPropertyName("secret")] string Secret,
        [property: JsonPropertyName("force_refresh")] bool ForceRefresh);

    private sealed class StableTokenResponse : WeChatResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; set; }

        [JsonPropertyName("expires_in")]
        public int ExpiresIn { get; set; }
    }
}
