using System.Globalization;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.WeChat;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Notifications;

/// <summary>
/// Sends the subscribe message of each new notification whose kind has a template, once. A notification is claimed
/// under a row lock (SKIP LOCKED: a second instance takes other rows) and a credit is taken in the same transaction, so
/// a hundred notifications racing for the user's one credit send one message. WeChat is called after the commit;
/// busy (-1) and timeouts are retried by later runs with backoff, keeping the credit taken; 43101 means WeChat holds no
/// grant for us any more and clears the credit. A run killed between claim and answer leaves the row Sending, and the
/// next run marks it Interrupted rather than risk a second message.
/// </summary>
public sealed partial class NotificationPushJob(
    MySqlDataSource db, WeChatClient weChat, IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationPushJob> logger)
{
    private const int BatchSize = 200;

    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(10);

    private const string Abandon = "UPDATE notifications SET push_state = 'Interrupted' WHERE push_state = 'Sending' AND push_claimed_at < @staleBefore";

    private const string Due = """
        SELECT id FROM notifications
         WHERE push_state IN ('Pending', 'Retry') AND (push_next_at IS NULL OR push_next_at <= @now)
         ORDER BY id
         LIMIT @limit
        """;

    private const string Lock = """
        SELECT n.id, n.user_id, n.kind, n.title, n.body, n.created_at, n.push_state, n.push_attempts, u.openid, u.status AS user_status
          FROM notifications n
          JOIN users u ON u.id = n.user_id
         WHERE n.id = @id AND n.push_state IN ('Pending', 'Retry')
           FOR UPDATE SKIP LOCKED
        """;

    private const string TakeCredit = """
        UPDATE subscribe_credits SET credits = credits - 1, updated_at = @now
         WHERE user_id = @userId AND template_id = @templateId AND credits > 0
        """;

    private const string GiveCreditBack = """
        UPDATE subscribe_credits SET credits = credits + 1, updated_at = @now WHERE user_id = @userId AND template_id = @templateId
        """;

    private const string ClearCredits = "UPDATE subscribe_credits SET credits = 0, updated_at = @now WHERE user_id = @userId AND template_id = @templateId";

    private const string SetState = """
        UPDATE notifications SET push_state = @state, push_attempts = @attempts, push_next_at = @nextAt, push_claimed_at = @claimedAt WHERE id = @id
        """;

    private const string LogSend = """
        INSERT INTO subscribe_sends (notification_id, attempt, template_id, outcome, errcode, rid, at)
        VALUES (@id, @attempts, @templateId, @state, @errcode, @rid, @now)
        """;

    private sealed record Claimed(long Id, long UserId, string Kind, string Title, string Body, DateTime CreatedAt, string PushState,
        int PushAttempts, string? Openid, string UserStatus);

    /// <returns>How many notifications this run looked at.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Abandon, new { staleBefore = now - ClaimLifetime }, cancellationToken: ct));
        var due = (await connection.QueryAsync<long>(new CommandDefinition(Due, new { now, limit = BatchSize }, cancellationToken: ct))).ToList();
        foreach (var id in due)
        {
            await PushAsync(connection, id, ct);
        }
        return due.Count;
    }

    private async Task PushAsync(MySqlConnection connection, long id, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        Claimed? claimed;
        SubscribeTemplate? template;
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            claimed = await connection.QuerySingleOrDefaultAsync<Claimed>(new CommandDefinition(Lock, new { id }, transaction, cancellationToken: ct));
            if (claimed is null)
            {
                return;
            }
            template = options.Value.TemplateFor(Enum.Parse<NotificationKind>(claimed.Kind));
            var state = template is null ? "None"
                : claimed.Openid is null || claimed.UserStatus != "Active" ? "Failed"
                : claimed.PushState == "Retry" ? "Sending"
                : await connection.ExecuteAsync(new CommandDefinition(TakeCredit,
                    new { claimed.UserId, templateId = template.Id, now }, transaction, cancellationToken: ct)) == 1 ? "Sending" : "NoCredit";
            await connection.ExecuteAsync(new CommandDefinition(SetState, new
            {
                id, state, attempts = claimed.PushAttempts + (state == "Sending" ? 1 : 0), nextAt = (DateTime?)null,
                claimedAt = state == "Sending" ? now : (DateTime?)null,
            }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            if (state != "Sending")
            {
                return;
            }
        }
        await SendAsync(connection, claimed, template!, ct);
    }

    private async Task SendAsync(MySqlConnection connection, Claimed claimed, SubscribeTemplate template, CancellationToken ct)
    {
        var attempts = claimed.PushAttempts + 1;
        string state;
        int? errcode = null;
        string? rid = null;
        try
        {
            await weChat.SendSubscribeMessageAsync(new SubscribeMessage(claimed.Openid!, template.Id, Fill(template, claimed), template.Page), ct);
            state = "Sent";
            errcode = 0;
        }
        catch (WeChatSubscribeQuotaException ex)
        {
            (state, errcode, rid) = ("Refused", ex.ErrorCode, ex.Rid);
        }
        catch (Exception ex) when (ex is WeChatBusyException or WeChatRateLimitedException or WeChatUnavailableException)
        {
            state = attempts < options.Value.MaxPushAttempts ? "Retry" : "Failed";
            (errcode, rid) = ex is WeChatApiException api ? (api.ErrorCode, api.Rid) : ((int?)null, (string?)null);
        }
        catch (WeChatApiException ex)
        {
            (state, errcode, rid) = ("Failed", ex.ErrorCode, ex.Rid);
        }
        var now = time.DbUtcNow();
        var args = new { id = claimed.Id, claimed.UserId, templateId = template.Id, state, attempts, errcode, rid, now };
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(LogSend, args, transaction, cancellationToken: CancellationToken.None));
        await connection.ExecuteAsync(new CommandDefinition(SetState, new
        {
            args.id, state, attempts, nextAt = state == "Retry" ? now.AddMinutes(Math.Pow(2, attempts)) : (DateTime?)null, claimedAt = (DateTime?)null,
        }, transaction, cancellationToken: CancellationToken.None));
        // A message WeChat did not deliver used none of the user's grant; after 43101 WeChat holds none at all.
        var credit = state switch { "Refused" => ClearCredits, "Failed" => GiveCreditBack, _ => null };
        if (credit is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(credit, args, transaction, cancellationToken: CancellationToken.None));
        }
        await transaction.CommitAsync(CancellationToken.None);
        if (state != "Sent")
        {
            LogNotSent(logger, claimed.Id, state, errcode, rid);
        }
    }

    private static Dictionary<string, string> Fill(SubscribeTemplate template, Claimed claimed)
    {
        var china = DateTime.SpecifyKind(claimed.CreatedAt, DateTimeKind.Utc).Add(ChinaTime.Offset);
        return template.Fields.ToDictionary(f => f.Key, f => f.Value switch
        {
            TemplatePart.Title => claimed.Title,
            TemplatePart.Body => claimed.Body,
            TemplatePart.Kind => EnumLabels.Chinese(Enum.Parse<NotificationKind>(claimed.Kind)),
            TemplatePart.Date => china.ToString("yyyy年MM月dd日", CultureInfo.InvariantCulture),
            _ => china.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        });
    }

    [LoggerMessage(LogLevel.Information, "Subscribe message of notification {NotificationId}: {State} (errcode {ErrCode}, rid {Rid}); the inbox has it")]
    private static partial void LogNotSent(ILogger logger, long notificationId, string state, int? errcode, string? rid);
}
