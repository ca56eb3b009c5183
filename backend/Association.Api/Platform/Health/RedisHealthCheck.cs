using Association.Api.Platform.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Association.Api.Platform.Health;

public sealed class RedisHealthCheck(IConnectionMultiplexer redis, RedisBreaker breaker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (breaker.IsOpen)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is skipped: it failed or was too slow, and has not answered a probe since.");
        }
        try
        {
            // A hung Redis would hold the check for the multiplexer's 5 s timeout.
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return HealthCheckResult.Healthy("Redis answers.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable.");
        }
    }
}
