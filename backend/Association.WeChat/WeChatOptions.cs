using System.ComponentModel.DataAnnotations;

namespace Association.WeChat;

public sealed class WeChatOptions
{
    public const string Section = "WeChat";

    [Required]
    public string AppId { get; set; } = "";

    /// <summary>Kept in process memory only: never logged, never written to Redis or the database.</summary>
    [Required]
    public string AppSecret { get; set; } = "";

    /// <summary>WeChat's API host; a simulator's address in development and tests.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Prefix of the Redis keys that share the access token between instances.</summary>
    public string RedisKeyPrefix { get; set; } = "assoc:";

    /// <summary>How old a watermark of decrypted or phone data may be before it is refused.</summary>
    [Range(1, 86400)]
    public int MaxWatermarkAgeSeconds { get; set; } = 600;

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;
}
