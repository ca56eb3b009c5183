namespace Association.Api.Auth;

/// <summary>A WeChat user's account: active, or removed (erased at their request).</summary>
public enum UserStatus
{
    Active,
    Removed,
}
