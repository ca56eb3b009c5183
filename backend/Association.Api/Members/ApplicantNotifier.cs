using Association.WeChat;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// Tells an applicant the decision by subscribe message, when they granted one and a template is
/// configured. Best effort: the decision is already committed and always visible in the app, so a
/// WeChat failure (43101: no quota left, or WeChat down) is logged and nothing more.
/// </summary>
public sealed partial class ApplicantNotifier(
    MySqlDataSource db, WeChatClient weChat, IOptions<MembershipOptions> options, TimeProvider time, ILogger<ApplicantNotifier> logger)
{
    private const string OpenIdOfUser = "SELECT openid FROM users WHERE id = @userId AND status = 'Active'";

    public async Task NotifyAsync(long userId, bool approved, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.Value.DecisionTemplateId))
        {
            return;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var openId = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(OpenIdOfUser, new { userId }, cancellationToken: ct));
        if (openId is null)
        {
            return;
        }
        var data = new Dictionary<string, string>
        {
            ["thing1"] = "红袖章会员入会申请",
            ["phrase2"] = approved ? "已通过" : "未通过",
            ["thing3"] = approved ? "欢迎加入平安创建协会" : reason ?? "请查看申请详情",
            ["date4"] = time.GetUtcNow().ToOffset(Platform.ChinaTime.Offset).ToString("yyyy年MM月dd日", System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            await weChat.SendSubscribeMessageAsync(new SubscribeMessage(openId, options.Value.DecisionTemplateId, data, "pages/membership/index"), ct);
        }
        catch (Exception ex) when (ex is WeChatApiException or WeChatUnavailableException)
        {
            LogNotSent(logger, userId, ex.GetType().Name);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Decision not sent to user {UserId} by subscribe message ({Reason}); it stays visible in the app")]
    private static partial void LogNotSent(ILogger logger, long userId, string reason);
}
