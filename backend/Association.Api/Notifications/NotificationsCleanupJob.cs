using Association.Api.Platform.Database;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Notifications;

/// <summary>Daily: forgets notifications (and their send log) older than the inbox keeps, in small batches.</summary>
public sealed class NotificationsCleanupJob(MySqlDataSource db, IOptions<NotificationOptions> options, TimeProvider time)
{
    private const string DropSome = "DELETE FROM notifications WHERE created_at < @before LIMIT 1000";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var before = time.DbUtcNow().AddDays(-options.Value.KeepDays);
        return await BatchedDelete.RunAsync(db, DropSome, new { before }, ct);
    }
}
