using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Association.WeChat.Simulator;

/// <summary>The WeChat server API, as far as the association uses it, with WeChat's field names and error codes.</summary>
public static class WeChatEndpoints
{
    public static void MapWeChatEndpoints(this WebApplication app)
    {
        app.MapGet("/sns/jscode2session", Code2Session);
        app.MapPost("/cgi-bin/stable_token", StableToken);
        app.MapPost("/wxa/business/getuserphonenumber", PhoneNumber);
        app.MapPost("/wxa/msg_sec_check", ContentCheck);
        app.MapPost("/cgi-bin/message/subscribe/send", SubscribeSend);
    }

    private static string Rid() => Guid.NewGuid().ToString("N")[..24];

    private static IResult Error(int code, string message) =>
        Results.Json(new { errcode = code, errmsg = $"{message} rid: {Rid()}" });

    /// <summary>Applies a queued fault: a delay, then an error answer (or HTTP 500 for errcode -500).</summary>
    private static async Task<IResult?> FaultAsync(SimulatorState state, string operation)
    {
        state.Count(operation);
        if (state.TakeFault(operation) is not { } fault)
        {
            return null;
        }
        if (fault.DelayMs > 0)
        {
            await Task.Delay(fault.DelayMs);
        }
        return fault.ErrCode switch
        {
            0 => null,
            -500 => Results.StatusCode(500),
            _ => Error(fault.ErrCode, "simulated error"),
        };
    }

    private static async Task<IResult> Code2Session(HttpRequest request, SimulatorState state)
    {
        if (await FaultAsync(state, "code2session") is { } fault)
        {
            return fault;
        }
        var q = request.Query;
        if (q["appid"] != state.AppId || q["secret"] != state.AppSecret)
        {
            return Error(40125, "invalid appsecret");
        }
        var code = q["js_code"].ToString();
        if (string.IsNullOrWhiteSpace(code) || code.StartsWith("invalid", StringComparison.Ordinal) || q["grant_type"] != "authorization_code")
        {
            return Error(40029, "invalid code");
        }
        if (!state.UseCode(code))
        {
            return Error(40163, "code been used");
        }
        // A success carries no errcode at all, as WeChat's does.
        return Results.Json(new { openid = state.OpenIdFor(code), session_key = state.NewSessionKey() });
    }

    private static async Task<IResult> StableToken(JsonObject body, SimulatorState state)
    {
        if (await FaultAsync(state, "stable_token") is { } fault)
        {
            return fault;
        }
        if ((string?)body["grant_type"] != "client_credential" || (string?)body["appid"] != state.AppId || (string?)body["secret"] != state.AppSecret)
        {
            return Error(40125, "invalid appsecret");
        }
        var force = body["force_refresh"]?.GetValue<bool>() ?? false;
        return Results.Json(new { access_token = state.IssueToken(force), expires_in = 7200 });
    }

    private static async Task<IResult> PhoneNumber(HttpRequest request, JsonObject body, SimulatorState state, TimeProvider time)
    {
        if (await FaultAsync(state, "getuserphonenumber") is { } fault)
        {
            return fault;
        }
        if (!state.IsTokenValid(request.Query["access_token"]))
        {
            return Error(42001, "access_token expired");
        }
        var code = (string?)body["code"] ?? "";
        // Codes look like "phone:13800001234"; anything else is an invalid code.
        if (!code.StartsWith("phone:", StringComparison.Ordinal) || code.Length < 10)
        {
            return Error(40029, "invalid code");
        }
        var pure = code["phone:".Length..];
        var stamp = time.GetUtcNow().AddSeconds(-state.WatermarkAgeSeconds).ToUnixTimeSeconds();
        return Results.Json(new
        {
            errcode = 0,
            errmsg = "ok",
            phone_info = new
            {
                phoneNumber = pure,
                purePhoneNumber = pure,
                countryCode = "86",
                watermark = new { timestamp = stamp, appid = state.WatermarkAppIdOverride ?? state.AppId },
            },
        });
    }

    private static async Task<IResult> ContentCheck(HttpRequest request, SimulatorState state)
    {
        if (await FaultAsync(state, "msg_sec_check") is { } fault)
        {
            return fault;
        }
        if (!state.IsTokenValid(request.Query["access_token"]))
        {
            return Error(40001, "invalid credential, access_token is invalid or not latest");
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        state.LastContentCheckBody = raw;
        var body = JsonNode.Parse(raw)!.AsObject();
        if ((int?)body["version"] != 2 || string.IsNullOrEmpty((string?)body["openid"]) || body["scene"] is null)
        {
            return Error(47001, "data format error");
        }
        var content = (string?)body["content"] ?? "";
        // Marker words pick the verdict, so tests and curl users can reach each branch.
        var (suggest, label) = content.Contains("违禁", StringComparison.Ordinal) ? ("risky", 20006)
            : content.Contains("待审", StringComparison.Ordinal) ? ("review", 21000)
            : ("pass", 100);
        return Results.Json(new
        {
            errcode = 0,
            errmsg = "ok",
            trace_id = Guid.NewGuid().ToString("N"),
            result = new { suggest, label },
            detail = new[] { new { strategy = "content_model", errcode = 0, suggest, label } },
        });
    }

    private static async Task<IResult> SubscribeSend(HttpRequest request, JsonObject body, SimulatorState state)
    {
        if (await FaultAsync(state, "subscribe_send") is { } fault)
        {
            return fault;
        }
        if (!state.IsTokenValid(request.Query["access_token"]))
        {
            return Error(40001, "invalid credential, access_token is invalid or not latest");
        }
        if (string.IsNullOrEmpty((string?)body["touser"]) || string.IsNullOrEmpty((string?)body["template_id"]) || body["data"] is not JsonObject)
        {
            return Error(47003, "argument invalid!");
        }
        state.RecordMessage(body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return Results.Json(new { errcode = 0, errmsg = "ok", msgid = Random.Shared.NextInt64(1, long.MaxValue) });
    }
}
