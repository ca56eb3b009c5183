using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Association.WeChat;

/// <summary>
/// The server-side WeChat mini-program API we use. Errors come back as distinct exception types
/// (see WeChatErrors.cs); calls that need an access token refresh it once and retry once
/// when WeChat says it is invalid or expired.
/// </summary>
public sealed partial class WeChatClient(
    WeChatTransportFactory transports,
    WeChatAccessTokens accessTokens,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<WeChatClient> logger)
{
    private static readonly TimeSpan[] BusyBackoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(600)];

    private WeChatOptions Options => options.Value;

    /// <summary>Exchanges a <c>wx.login</c> code for the user's openid and session key.</summary>
    public async Task<WeChatSession> Code2SessionAsync(string code, CancellationToken ct)
    {
        var query = $"sns/jscode2session?appid={Uri.EscapeDataString(Options.AppId)}&secret={Uri.EscapeDataString(Options.AppSecret)}" +
                    $"&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        for (var attempt = 0; ; attempt++)
        {
            var answer = await transports.Create().GetAsync<Code2SessionResponse>("code2Session", query, ct);
            if (answer.ErrorCode == 0 && !string.IsNullOrEmpty(answer.OpenId) && !string.IsNullOrEmpty(answer.SessionKey))
            {
                LogSignedIn(logger, answer.RequestId);
                return new WeChatSession(answer.OpenId, answer.SessionKey, answer.UnionId);
            }
            if (answer.ErrorCode == 0)
            {
                throw new WeChatUnavailableException("WeChat code2Session answered without an openid or session key.");
            }
            // Only "busy" is worth another try: an invalid or used code stays invalid.
            if (answer.ErrorCode != -1 || attempt == BusyBackoff.Length)
            {
                throw WeChatErrorMap.ToException(answer.ErrorCode, answer.ErrorMessage, answer.RequestId);
            }
            await Task.Delay(BusyBackoff[attempt], time, ct);
        }
    }

    /// <summary>The phone number behind a <c>getPhoneNumber</c> button code, once its watermark proves it is ours and fresh.</summary>
    public async Task<WeChatPhoneNumber> GetPhoneNumberAsync(string phoneCode, CancellationToken ct)
    {
        var answer = await WithAccessTokenAsync<PhoneNumberResponse>("getuserphonenumber",
            token => ("wxa/business/getuserphonenumber?access_token=" + Uri.EscapeDataString(token), new { code = phoneCode }), ct);
        if (answer.PhoneInfo is not { } info)
        {
            throw new WeChatDataRejectedException();
        }
        try
        {
            WeChatDataCrypto.CheckWatermark(info, Options.AppId, time.GetUtcNow(), TimeSpan.FromSeconds(Options.MaxWatermarkAgeSeconds));
            return new WeChatPhoneNumber(
                info.GetProperty("phoneNumber").GetString() ?? throw new WeChatDataRejectedException(),
                info.GetProperty("purePhoneNumber").GetString() ?? throw new WeChatDataRejectedException(),
                info.GetProperty("countryCode").GetString() ?? throw new WeChatDataRejectedException());
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            throw new WeChatDataRejectedException();
        }
    }

    /// <summary>Decrypts data the mini-program got from WeChat (e.g. <c>getShareInfo</c>) with the user's session key.</summary>
    public DecryptedUserData DecryptUserData(string sessionKey, string encryptedData, string iv) =>
        new(WeChatDataCrypto.Decrypt(Options.AppId, sessionKey, encryptedData, iv, time.GetUtcNow(),
            TimeSpan.FromSeconds(Options.MaxWatermarkAgeSeconds)));

    /// <summary>Content security check (msg_sec_check v2) of text a user wrote.</summary>
    public async Task<ContentCheck> CheckTextAsync(string openId, string content, ContentScene scene, CancellationToken ct)
    {
        var answer = await WithAccessTokenAsync<ContentCheckResponse>("msg_sec_check",
            token => ("wxa/msg_sec_check?access_token=" + Uri.EscapeDataString(token),
                new { content, version = 2, scene = (int)scene, openid = openId }), ct);
        var verdict = answer.Result?.Suggest switch
        {
            "pass" => ContentVerdict.Pass,
            "review" => ContentVerdict.Review,
            "risky" => ContentVerdict.Risky,
            _ => throw new WeChatUnavailableException("WeChat msg_sec_check answered without a verdict."),
        };
        return new ContentCheck(verdict, answer.Result.Label, answer.TraceId);
    }

    /// <summary>Sends a subscribe message. 43101 (no quota left) surfaces as <see cref="WeChatSubscribeQuotaException"/>.</summary>
    public async Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken ct)
    {
        var data = SubscribeMessageValues.Prepare(message.Data).ToDictionary(kv => kv.Key, kv => new { value = kv.Value });
        var state = message.State switch
        {
            MiniProgramState.Trial => "trial",
            MiniProgramState.Developer => "developer",
            _ => "formal",
        };
        await WithAccessTokenAsync<WeChatResponse>("subscribeMessage.send",
            token => ("cgi-bin/message/subscribe/send?access_token=" + Uri.EscapeDataString(token),
                new { touser = message.ToOpenId, template_id = message.TemplateId, page = message.Page, miniprogram_state = state, lang = "zh_CN", data }), ct);
    }

    private async Task<T> WithAccessTokenAsync<T>(string operation, Func<string, (string PathAndQuery, object Body)> request, CancellationToken ct)
        where T : WeChatResponse
    {
        var token = await accessTokens.GetAsync(ct);
        var (path, body) = request(token);
        var answer = await transports.Create().PostAsync<T>(operation, path, body, ct);
        if (WeChatErrorMap.IsAccessTokenProblem(answer.ErrorCode))
        {
            token = await accessTokens.RefreshAsync(rejected: token, ct);
            (path, body) = request(token);
            answer = await transports.Create().PostAsync<T>(operation, path, body, ct);
        }
        if (answer.ErrorCode != 0)
        {
            throw WeChatErrorMap.ToException(answer.ErrorCode, answer.ErrorMessage, answer.RequestId);
        }
        return answer;
    }

    [LoggerMessage(LogLevel.Debug, "WeChat code2Session succeeded (rid {Rid})")]
    private static partial void LogSignedIn(ILogger logger, string? rid);

    private sealed class Code2SessionResponse : WeChatResponse
    {
        [JsonPropertyName("openid")]
        public string? OpenId { get; set; }

        [JsonPropertyName("session_key")]
        public string? SessionKey { get; set; }

        [JsonPropertyName("unionid")]
        public string? UnionId { get; set; }
    }

    private sealed class PhoneNumberResponse : WeChatResponse
    {
        [JsonPropertyName("phone_info")]
        public JsonElement? PhoneInfo { get; set; }
    }

    private sealed class ContentCheckResponse : WeChatResponse
    {
        [JsonPropertyName("trace_id")]
        public string? TraceId { get; set; }

        [JsonPropertyName("result")]
        public ContentResult? Result { get; set; }
    }

    private sealed class ContentResult
    {
        [JsonPropertyName("suggest")]
        public string? Suggest { get; set; }

        [JsonPropertyName("label")]
        public int Label { get; set; }
    }
}
