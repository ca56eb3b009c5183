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
}
