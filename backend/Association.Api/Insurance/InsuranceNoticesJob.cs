using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Insurance;

/// <summary>
/// Daily: policies about to end, and members still uncovered past the limit, become notices for the
/// admins of the unit concerned (shown by GET /api/insurance/notices). A notice is unique per kind,
/// subject and day, so running the job twice, or on two instances, adds nothing.
/// </summary>
public sealed partial class InsuranceNoticesJob(
    MySqlDataSource db, WeChat.WeChatClient weChat, IOptions<InsuranceOptions> options, TimeProvider time, ILogger<InsuranceNoticesJob> logger)
{
    // A subscribe message's thing field holds 20 characters: it names what the notice is about, and the app shows the rest.
    private const string Unsent = """
        SELECT n.id, n.unit_id, n.kind,
               COALESCE(CONCAT('保单 ', p.policy_number), CONCAT('会员 ', m.member_number), n.message) AS subject
          FROM admin_notices n
          LEFT JOIN insurance_policies p ON n.kind = 'PolicyExpiring' AND p.id = n.subject_id
          LEFT JOIN members m ON n.kind = 'MemberUncovered' AND m.id = n.subject_id
         WHERE n.notice_day = @day AND n.notified_at IS NULL
         ORDER BY n.id
        """;

    // Whoever sets notified_at sends the message: a second run, or a second instance, finds nothing to claim.
    private const string Claim = "UPDATE admin_notices SET notified_at = @now WHERE id = @id AND notified_at IS NULL";

    // Everyone holding a role on the notice's unit or above it.
    private const string Recipients = """
        SELECT DISTINCT u.openid
          FROM org_units target
          JOIN org_units au ON target.path LIKE CONCAT(au.path, '%')
          JOIN role_assignments ra ON ra.org_unit_id = au.id
          JOIN users u ON u.id = ra.user_id
         WHERE target.id = @unitId AND u.status = 'Active'
        """;

    private sealed record NoticeRow(long Id, long UnitId, string Kind, string Subject);

    private const string PoliciesEnding = """
        INSERT INTO admin_notices (unit_id, kind, subject_id, notice_day, message, created_at)
        SELECT p.unit_id, 'PolicyExpiring', p.id, @day,
               CONCAT(p.insurer, '保单 ', p.policy_number, ' 将于 ', DATE_FORMAT(p.coverage_end, '%Y-%m-%d'), ' 到期'), @now
          FROM insurance_policies p
         WHERE p.coverage_end >= @day AND p.coverage_end <= @until
        ON DUPLICATE KEY UPDATE admin_notices.id = admin_notices.id
        """;

    private const string MembersUncovered = """
        INSERT INTO admin_notices (unit_id, kind, subject_id, notice_day, message, created_at)
        SELECT m.grid_id, 'MemberUncovered', m.id, @day,
               CONCAT('会员 ', m.member_number, ' 于 ', DATE_FORMAT(m.joined_on, '%Y-%m-%d'), ' 入会，尚未参加治安保险'), @now
          FROM members m
         WHERE m.status = 'Active' AND m.joined_on <= @latestJoin AND NOT
        """ + InsuranceSql.CoveredOn + """
        ON DUPLICATE KEY UPDATE admin_notices.id = admin_notices.id
        """;

    /// <param name="day">The China day to report for; today when null (as the schedule calls it).</param>
    /// <returns>Rows the statements touched (a repeat touches the existing notices without changing them).</returns>
    public async Task<int> RunAsync(DateOnly? day, CancellationToken ct)
    {
        var today = day ?? time.Today();
        var args = new
        {
            day = today.ToDateTime(TimeOnly.MinValue),
            until = today.AddDays(options.Value.ExpiryWarningDays).ToDateTime(TimeOnly.MinValue),
            latestJoin = today.AddDays(-options.Value.CoverWithinDays).ToDateTime(TimeOnly.MinValue),
            now = time.DbUtcNow(),
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = await connection.ExecuteAsync(new CommandDefinition(PoliciesEnding, args, transaction, cancellationToken: ct));
        added += await connection.ExecuteAsync(new CommandDefinition(MembersUncovered, args, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        await NotifyAdminsAsync(connection, args.day, args.now, ct);
        return added;
    }

    private async Task NotifyAdminsAsync(MySqlConnection connection, DateTime day, DateTime now, CancellationToken ct)
    {
        var template = options.Value.NoticeTemplateId;
        if (string.IsNullOrEmpty(template))
        {
            return;
        }
        foreach (var notice in await connection.QueryAsync<NoticeRow>(new CommandDefinition(Unsent, new { day }, cancellationToken: ct)))
        {
            if (await connection.ExecuteAsync(new CommandDefinition(Claim, new { id = notice.Id, now }, cancellationToken: ct)) == 0)
            {
                continue;
            }
            foreach (var openId in await connection.QueryAsync<string>(new CommandDefinition(Recipients, new { notice.UnitId }, cancellationToken: ct)))
            {
                try
                {
                    await weChat.SendSubscribeMessageAsync(new WeChat.SubscribeMessage(openId, template, new Dictionary<string, string>
                    {
                        ["thing1"] = notice.Kind == "PolicyExpiring" ? "治安保险即将到期" : "会员尚未参保",
                        ["thing2"] = notice.Subject,
                        ["date3"] = DateOnly.FromDateTime(day).ToString("yyyy年MM月dd日", System.Globalization.CultureInfo.InvariantCulture),
                    }, "pages/admin/insurance"), ct);
                }
                catch (Exception ex) when (ex is WeChat.WeChatApiException or WeChat.WeChatUnavailableException)
                {
                    // 43101 is an admin who has not granted this template: the admin list still shows the notice.
                    LogNotSent(logger, notice.Id, ex.GetType().Name);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Notice {NoticeId} not sent to one admin by subscribe message ({Reason})")]
    private static partial void LogNotSent(ILogger logger, long noticeId, string reason);
}
