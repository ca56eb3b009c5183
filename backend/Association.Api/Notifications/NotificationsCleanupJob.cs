using Association.Api.Platform.Database;
using Dapper;
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
        await using var connection = await db.OpenConnectionAsync(ct);
        var dropped = 0;
        int batch;
        do
        {
            batch = await connection.ExecuteAsync(new CommandDefinition(DropSome, new { before }, cancellationToken: ct));
            dropped += batch;
        }
        while (batch > 0);
        return dropped;
    }
}
