using Association.Api.Platform.Errors;

namespace Association.Api.Notifications;

/// <param name="SubjectPath">The API path of what it is about (a report, a patrol, an application), when there is one.</param>
public sealed record NotificationView(long Id, NotificationKind Kind, string Title, string Body, string? SubjectPath, DateTime CreatedAt,
    DateTime? ReadAt);

public sealed record Inbox(int Unread, IReadOnlyList<NotificationView> Items);

public sealed record UnreadCount(int Unread);

public sealed record MarkedRead(int Marked);

/// <summary>One template's answer in wx.requestSubscribeMessage, in WeChat's words: accept, reject, ban (the user turned the
/// template off), filter (WeChat hid it).</summary>
public sealed record SubscribeResult(string? TemplateId, string? Answer);

/// <summary>What wx.requestSubscribeMessage answered, one entry per template asked for.</summary>
public sealed record SubscribeResultRequest(IReadOnlyList<SubscribeResult>? Results) : IValidatedRequest
{
    public static readonly string[] Answers = ["accept", "reject", "ban", "filter"];

    public void Validate(RequestRules rules)
    {
        if (Results is null || Results.Count == 0)
        {
            rules.Fail("results", "notifications.subscribe.empty");
        }
        else if (Results.Count > 20)
        {
            rules.Fail("results", "notifications.subscribe.tooMany");
        }
        else if (Results.Any(r => string.IsNullOrWhiteSpace(r.TemplateId) || !Answers.Contains(r.Answer)))
        {
            rules.Fail("results", "notifications.subscribe.answer");
        }
    }
}

/// <param name="Credits">Messages we may still send with it: one per "accept", one used by each message sent.</param>
public sealed record SubscriptionView(string TemplateId, string Purpose, IReadOnlyList<NotificationKind> Kinds, int Credits);
