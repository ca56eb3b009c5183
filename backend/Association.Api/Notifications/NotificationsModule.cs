namespace Association.Api.Notifications;

/// <summary>The inbox (站内消息), subscribe-message credits and the jobs that push and forget notifications.</summary>
public static class NotificationsModule
{
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Templates.All(t => !string.IsNullOrWhiteSpace(t.Id) && !string.IsNullOrWhiteSpace(t.Purpose) && t.Fields.Count > 0),
                "Every subscribe template needs an id, a purpose and its fields.")
            .Validate(o => o.Templates.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() == o.Templates.Count,
                "Subscribe template ids must be unique.")
            .Validate(o => o.Templates.SelectMany(t => t.Kinds).Distinct().Count() == o.Templates.Sum(t => t.Kinds.Count),
                "A notification kind may use one subscribe template only.")
            .ValidateOnStart();
        builder.Services.AddTransient<NotificationPushJob>();
        builder.Services.AddTransient<NotificationsCleanupJob>();
        builder.Services.AddTransient<RemindersJob>();
    }

    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization().MapNotificationsApi().MapSubscriptionsApi();
    }
}
