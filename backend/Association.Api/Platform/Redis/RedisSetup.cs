using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Association.Api.Platform.Redis;

public static class RedisSetup
{
    public static void AddRedis(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedisOptions>()
            .BindConfiguration(RedisOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => Parses(o.Configuration), "Redis:Configuration is not a valid StackExchange.Redis configuration string.")
            .ValidateOnStart();

        builder.Services.AddSingleton<RedisKeys>();
        builder.Services.AddSingleton<RedisBreaker>();
        builder.Services.AddSingleton<InvalidationChannel>();
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var options = ConfigurationOptions.Parse(services.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration);
            // Start even when Redis is down: the multiplexer keeps reconnecting in the background,
            // and the readiness check reports the instance as degraded meanwhile.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = Math.Min(options.ConnectTimeout, 3000);
            // While disconnected, a command fails at once instead of waiting in the backlog for the timeout (5 s a
            // call by default): every caller has a fallback, so a Redis that is down costs a request nothing. A Redis
            // that hangs with the connection open is the breaker's (RedisBreaker).
            options.BacklogPolicy = BacklogPolicy.FailFast;
            return ConnectionMultiplexer.Connect(options);
        });
    }

    private static bool Parses(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
