using Association.Api.GridReports;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Notifications;

/// <summary>
/// Hourly: reminds whoever must act of work left waiting, as notifications (which the push job may also send):
/// applications waiting too long and finished patrols not yet confirmed go to the grid's leaders (the village's admins
/// when the grid has none); a report past its deadline goes to the grid's leaders, and once a further grace has passed
/// the report is raised to its village, whose admins are told, and after another such grace to the sub-district
/// ("小事不出村、大事不出街道", <see cref="ReportEscalation"/>). Each reminder's event key names its subject and stage, so
/// a second run, or a run on a second instance at the same time, writes nothing new.
/// </summary>
public sealed class RemindersJob(MySqlDataSource db, IOptions<NotificationOptions> options, TimeProvider time)
{
    // The grid's own role holders, or the village's admins when nobody holds a role on the grid; never the person the
    // subject is about (each statement leaves them out). Expects the grid as g.
    private const string GridDeciders = """
          JOIN role_assignments ra
            ON ra.org_unit_id = g.id
            OR (ra.org_unit_id = g.parent_id AND ra.role = 'VillageAdmin'
                AND NOT EXISTS (SELECT 1 FROM role_assignments gl WHERE gl.org_unit_id = g.id))
        """;

    private const string ApplicationsWaiting = Notices.InsertInto + """
        SELECT DISTINCT ra.user_id, 'ApplicationWaiting', CONCAT('application:', a.id, ':waiting'), @title,
               REPLACE(REPLACE(REPLACE(@body, '{0}', g.name), '{1}', DATE_FORMAT(DATE_ADD(a.created_at, INTERVAL 8 HOUR), '%Y年%c月%e日')), '{2}', @days),
               CONCAT('/api/membership/applications?status=Pending&gridId=', a.grid_id), @now, 'Pending'
          FROM membership_applications a
          JOIN org_units g ON g.id = a.grid_id
        """ + GridDeciders + """
         WHERE a.status = 'Pending' AND a.created_at < @before AND ra.user_id <> a.user_id
        """ + Notices.SkipTold;

    private const string PatrolsWaiting = Notices.InsertInto + """
        SELECT DISTINCT ra.user_id, 'PatrolWaiting', CONCAT('patrol:', p.id, ':waiting'), @title,
               REPLACE(REPLACE(REPLACE(@body, '{0}', g.name), '{1}', DATE_FORMAT(DATE_ADD(p.started_at, INTERVAL 8 HOUR), '%Y年%c月%e日')), '{2}', @days),
               CONCAT('/api/patrols/', p.id), @now, 'Pending'
          FROM patrols p
          JOIN org_units g ON g.id = p.grid_id
        """ + GridDeciders + """
         WHERE p.status = 'Finished' AND p.finished_at < @before
           AND NOT EXISTS (SELECT 1 FROM patrol_members pm JOIN members m ON m.id = pm.member_id
                            WHERE pm.patrol_id = p.id AND m.user_id = ra.user_id)
        """ + Notices.SkipTold;

    private const string ReportsOverdue = Notices.InsertInto + """
        SELECT DISTINCT ra.user_id, 'ReportOverdue', CONCAT('report:', r.id, ':overdue'), @title,
               REPLACE(REPLACE(REPLACE(@body, '{0}', g.name), '{1}', JSON_UNQUOTE(JSON_EXTRACT(@kinds, CONCAT('$.', r.kind)))),
                       '{2}', DATE_FORMAT(DATE_ADD(r.created_at, INTERVAL 8 HOUR), '%Y年%c月%e日')),
               CONCAT('/api/grid-reports/', r.id), @now, 'Pending'
          FROM grid_reports r
          JOIN org_units g ON g.id = r.grid_id
        """ + GridDeciders + """
         WHERE r.status IN ('Submitted', 'Accepted', 'Assigned') AND r.deadline_at < @now AND ra.user_id <> r.reporter_user_id
        """ + Notices.SkipTold;

    /// <returns>Rows the statements touched (a repeat touches its earlier reminders without changing them).</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var o = options.Value;
        var kinds = Notices.LabelsJson<ReportKind>();
        await using var connection = await db.OpenConnectionAsync(ct);
        var written = 0;
        // Each kind in its own short transaction; two runs at once may deadlock on the unique key and the loser tries again.
        foreach (var (sql, kind, args) in new (string, NotificationKind, object)[]
        {
            (ApplicationsWaiting, NotificationKind.ApplicationWaiting, new { days = o.ApplicationWaitingDays, before = now.AddDays(-o.ApplicationWaitingDays) }),
            (PatrolsWaiting, NotificationKind.PatrolWaiting, new { days = o.PatrolWaitingDays, before = now.AddDays(-o.PatrolWaitingDays) }),
            (ReportsOverdue, NotificationKind.ReportOverdue, new { kinds }),
        })
        {
            var parameters = new DynamicParameters(args);
            parameters.AddDynamicParams(new { now, title = Notices.Title(kind), body = Notices.Body(kind) });
            written += await DeadlockRetry.RunAsync(async () =>
            {
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
                var rows = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));
                await transaction.CommitAsync(ct);
                return rows;
            });
        }
        written += await DeadlockRetry.RunAsync(async () =>
        {
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            var raised = await ReportEscalation.RaiseOverdueAsync(connection, transaction, o.EscalateAfterHours, now, ct);
            await transaction.CommitAsync(ct);
            return raised;
        });
        return written;
    }
}
