using System.ComponentModel.DataAnnotations;

namespace Association.Api.Platform.Redis;

public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=...</c>.</summary>
    [Required]
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every key we write, so several deployments (or test runs) can share one Redis.</summary>
    [Required, RegularExpression("^[a-z0-9_-]+:$", ErrorMessage = "Redis:KeyPrefix must be lower-case letters, digits, '-' or '_' ending in ':'.")]
    public string KeyPrefix { get; set; } = "assoc:";

    /// <summary>
    /// How long a request waits for one Redis call before it falls back and the breaker skips Redis for a while
    /// (<see cref="RedisBreaker"/>). Redis answers in well under a millisecond on its network; 50 ms is a Redis in trouble.
    /// </summary>
    [Range(10, 5000)]
    public int CallTimeoutMilliseconds { get; set; } = 50;
}
