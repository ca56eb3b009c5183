using System.Net.Http.Json;
using Association.Api.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Infrastructure;

/// <summary>What a person was told: their inbox, and the subscribe messages the push job sent them.</summary>
public static class Inboxes
{
    public static async Task<Inbox> InboxAsync(this SignedIn person) =>
        (await person.Client.GetFromJsonAsync<Inbox>("/api/notifications?pageSize=100"))!;

    /// <summary>As the mini-program reports a user's "accept" in wx.requestSubscribeMessage.</summary>
    public static async Task AcceptSubscribeAsync(this SignedIn person, string templateId, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/subscriptions")
            {
                Content = JsonContent.Create(new SubscribeResultRequest([new SubscribeResult(templateId, "accept")])),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            (await person.Client.SendAsync(request)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Runs the push job as its schedule would.</summary>
    public static Task<int> PushNotificationsAsync(this AssociationApp app) =>
        app.Services.GetRequiredService<NotificationPushJob>().RunAsync(default);

    /// <summary>The subscribe messages the simulator received for <paramref name="person"/> with <paramref name="templateId"/>.</summary>
    public static List<string> MessagesTo(this AssociationApp app, SignedIn person, string templateId) =>
        app.WeChat.State.Messages.Where(m => m.Contains(templateId, StringComparison.Ordinal) && m.Contains(person.OpenId, StringComparison.Ordinal)).ToList();
}
