using System.ComponentModel.DataAnnotations;

namespace Association.Api.Platform.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    [Range(1, 24 * 60)]
    public int AccessTokenMinutes { get; set; } = 120;

    [Range(1, 365)]
    public int RefreshTokenDays { get; set; } = 30;

    /// <summary>Sign-in attempts per client address per minute, on this instance.</summary>
    [Range(1, 100_000)]
    public int LoginsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Anonymous lookups (a certificate's verification) per client address per minute, on this instance.</summary>
    [Range(1, 100_000)]
    public int PublicLookupsPerAddressPerMinute { get; set; } = 60;

    /// <summary>Sign-ins per WeChat user per minute, across instances (counted in Redis).</summary>
    [Range(1, 100_000)]
    public int LoginsPerOpenIdPerMinute { get; set; } = 10;
}
