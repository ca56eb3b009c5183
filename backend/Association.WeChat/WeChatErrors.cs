namespace Association.WeChat;

/// <summary>WeChat answered with a non-zero errcode. <see cref="Rid"/> is WeChat's request id, for their support.</summary>
public class WeChatApiException(int errorCode, string? errorMessage, string? rid)
    : Exception($"WeChat error {errorCode}: {errorMessage} (rid {rid ?? "none"})")
{
    public int ErrorCode { get; } = errorCode;

    public string? Rid { get; } = rid;
}

/// <summary>-1: WeChat is busy; the client already retried with backoff.</summary>
public sealed class WeChatBusyException(int code, string? message, string? rid) : WeChatApiException(code, message, rid);

/// <summary>40029 / 40163: the login code is invalid or already used; retrying cannot help.</summary>
public sealed class WeChatInvalidCodeException(int code, string? message, string? rid) : WeChatApiException(code, message, rid);

/// <summary>45011: the app called too often; back off.</summary>
public sealed class WeChatRateLimitedException(int code, string? message, string? rid) : WeChatApiException(code, message, rid);

/// <summary>40226: WeChat has blocked this user (high-risk account).</summary>
public sealed class WeChatUserBlockedException(int code, string? message, string? rid) : WeChatApiException(code, message, rid);

/// <summary>40001 / 40014 / 42001 after one refresh and retry.</summary>
public sealed class WeChatAccessTokenException(int code, string? message, string? rid) : WeChatApiException(code, message, rid);

/// <summary>43101: the user has no subscribe-message quota left for this template (or never granted one).</summary>
public sealed class WeChatSubscribeQuotaException(int code, string? message, string? rid) : WeChatApiException(code, message, rid);

/// <summary>WeChat could not be reached or answered something that is not its protocol.</summary>
public sealed class WeChatUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Encrypted user data or phone data that failed any check (base64, key, padding, JSON, signature,
/// appid, age). One type and one message for every cause, so a caller learns nothing about which.
/// </summary>
public sealed class WeChatDataRejectedException() : Exception("The WeChat data could not be verified.");

internal static class WeChatErrorMap
{
    public static WeChatApiException ToException(int code, string? message, string? rid) => code switch
    {
        -1 => new WeChatBusyException(code, message, rid),
        40029 or 40163 => new WeChatInvalidCodeException(code, message, rid),
        45011 => new WeChatRateLimitedException(code, message, rid),
        40226 => new WeChatUserBlockedException(code, message, rid),
        40001 or 40014 or 42001 => new WeChatAccessTokenException(code, message, rid),
        43101 => new WeChatSubscribeQuotaException(code, message, rid),
        _ => new WeChatApiException(code, message, rid),
    };

    public static bool IsAccessTokenProblem(int code) => code is 40001 or 40014 or 42001;
}
