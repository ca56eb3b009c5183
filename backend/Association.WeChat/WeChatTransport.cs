using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Association.WeChat;

/// <summary>Fields every WeChat answer may carry. A success often has no errcode at all.</summary>
internal class WeChatResponse
{
    [JsonPropertyName("errcode")]
    public int ErrorCode { get; set; }

    [JsonPropertyName("errmsg")]
    public string? ErrorMessage { get; set; }

    [JsonPropertyName("rid")]
    public string? Rid { get; set; }

    /// <summary>WeChat puts the request id at the end of errmsg ("... rid: 6528..."); newer APIs have a field.</summary>
    public string? RequestId
    {
        get
        {
            if (Rid is not null)
            {
                return Rid;
            }
            var match = RidPattern.Match(ErrorMessage ?? "");
            return match.Success ? match.Groups[1].Value : null;
        }
    }

    private static readonly Regex RidPattern = new(@"rid:\s*([0-9a-zA-Z-]+)", RegexOptions.Compiled);
}

/// <summary>
/// HTTP to WeChat. Query strings carry the AppSecret or an access token, so nothing here logs a URL;
/// the typed client's default HTTP logging is removed at registration for the same reason.
/// </summary>
internal sealed partial class WeChatTransport(HttpClient http, ILogger<WeChatTransport> logger)
{
    /// <summary>Chinese goes out as raw UTF-8; WeChat's content check misjudges \u-escaped text.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<T> GetAsync<T>(string operation, string pathAndQuery, CancellationToken ct) where T : WeChatResponse =>
        await SendAsync<T>(operation, () => new HttpRequestMessage(HttpMethod.Get, pathAndQuery), ct);

    public async Task<T> PostAsync<T>(string operation, string pathAndQuery, object body, CancellationToken ct) where T : WeChatResponse =>
        await SendAsync<T>(operation, () => new HttpRequestMessage(HttpMethod.Post, pathAndQuery)
        {
            Content = JsonContent.Create(body, body.GetType(), options: Json),
        }, ct);

    private async Task<T> SendAsync<T>(string operation, Func<HttpRequestMessage> request, CancellationToken ct) where T : WeChatResponse
    {
        T? answer;
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new WeChatUnavailableException($"WeChat {operation} answered HTTP {(int)response.StatusCode}.");
            }
            answer = await response.Content.ReadFromJsonAsync<T>(Json, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new WeChatUnavailableException($"WeChat {operation} could not be reached.", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new WeChatUnavailableException($"WeChat {operation} timed out.", ex);
        }
        catch (JsonException ex)
        {
            throw new WeChatUnavailableException($"WeChat {operation} answered something that is not its JSON.", ex);
        }
        if (answer is null)
        {
            throw new WeChatUnavailableException($"WeChat {operation} answered an empty body.");
        }
        if (answer.ErrorCode != 0)
        {
            LogError(logger, operation, answer.ErrorCode, answer.RequestId);
        }
        return answer;
    }

    [LoggerMessage(LogLevel.Warning, "WeChat {Operation} answered errcode {ErrorCode} (rid {Rid})")]
    private static partial void LogError(ILogger logger, string operation, int errorCode, string? rid);
}
