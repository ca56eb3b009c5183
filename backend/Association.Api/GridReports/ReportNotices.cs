using Association.Api.Notifications;
using Dapper;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>
/// Tells the reporter what became of their report (accepted, rejected, resolved) and a member that a report was
/// assigned to them, in the transaction of the move.
/// </summary>
public static class ReportNotices
{
    private const string Assignee = """
        SELECT m.user_id, g.name AS grid, r.deadline_at
          FROM grid_reports r JOIN org_units g ON g.id = r.grid_id JOIN members m ON m.id = r.assigned_member_id
         WHERE r.id = @id AND m.user_id IS NOT NULL
        """;

    private sealed record AssigneeRow(long UserId, string Grid, DateTime DeadlineAt);

    public static async Task TellAsync(MySqlConnection connection, MySqlTransaction transaction, long reportId, long reporterUserId, ReportKind kind,
        DateTime reportedAt, ReportStatus to, string? note, DateTime now, CancellationToken ct)
    {
        var path = $"/api/grid-reports/{reportId}";
        var day = Notices.Day(reportedAt);
        Notice? notice = to switch
        {
            ReportStatus.Accepted => new(reporterUserId, NotificationKind.ReportAccepted, $"report:{reportId}:{to}", path, day, kind),
            ReportStatus.Rejected => new(reporterUserId, NotificationKind.ReportRejected, $"report:{reportId}:{to}", path, day, kind, note),
            ReportStatus.Resolved => new(reporterUserId, NotificationKind.ReportResolved, $"report:{reportId}:{to}", path, day, kind, note),
            _ => null,
        };
        if (to == ReportStatus.Assigned && await connection.QuerySingleOrDefaultAsync<AssigneeRow>(
                new CommandDefinition(Assignee, new { id = reportId }, transaction, cancellationToken: ct)) is { } assignee)
        {
            notice = new(assignee.UserId, NotificationKind.ReportAssigned, $"report:{reportId}:assigned", path, assignee.Grid, kind,
                Notices.Day(assignee.DeadlineAt));
        }
        if (notice is not null)
        {
            await Notices.WriteAsync(connection, transaction, now, ct, notice);
        }
    }
}
