using Association.Api.Notifications;
using Dapper;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>
/// Raising a report one level, by hand with a reason or by the reminder job when it is overdue: the report moves to
/// its village, then to the sub-district, each level once, and that level's admins are told in the same transaction.
/// </summary>
public static class ReportEscalation
{
    /// <summary>The statuses a report can still be raised in: it is being handled.</summary>
    public const string OpenStatuses = "('Submitted', 'Accepted', 'Assigned')";

    private const string Raise = """
        UPDATE grid_reports SET level = @to, escalated_at = @now, updated_at = @now WHERE id = @id AND level = @from
        """;

    private const string Record = """
        INSERT INTO grid_report_escalations (report_id, from_level, to_level, reason, by_user_id, at)
        VALUES (@id, @from, @to, @reason, @callerId, @now)
        """;

    // The job's raises: a statement per level, so a report climbs one level a run. The rows it moved are those now at
    // the new level raised at @now; a second instance running at once waits on the locks, then finds them moved.
    private const string RaiseOverdueToVillage = """
        UPDATE grid_reports SET level = 'Village', escalated_at = @now, updated_at = @now
         WHERE level = 'Grid' AND status IN
        """ + OpenStatuses + " AND deadline_at < @gridBefore";

    private const string RaiseOverdueToSubDistrict = """
        UPDATE grid_reports SET level = 'SubDistrict', escalated_at = @now, updated_at = @now
         WHERE level = 'Village' AND status IN
        """ + OpenStatuses + " AND deadline_at < @villageBefore AND escalated_at < @gridBefore";

    private const string RecordOverdue = """
        INSERT INTO grid_report_escalations (report_id, from_level, to_level, reason, by_user_id, at)
        SELECT r.id, CASE r.level WHEN 'Village' THEN 'Grid' ELSE 'Village' END, r.level, @reason, NULL, @now
          FROM grid_reports r
         WHERE r.escalated_at = @now AND r.level = @to
        ON DUPLICATE KEY UPDATE grid_report_escalations.id = grid_report_escalations.id
        """;

    // The admins of the level a report reached, never its reporter or whoever raised it.
    private const string TellLevel = Notices.InsertInto + """
        SELECT DISTINCT ra.user_id, 'ReportEscalated', CONCAT('report:', r.id, ':escalated:', e.to_level), @title,
               REPLACE(REPLACE(REPLACE(REPLACE(@body, '{0}', g.name), '{1}', JSON_UNQUOTE(JSON_EXTRACT(@kinds, CONCAT('$.', r.kind)))),
                       '{2}', JSON_UNQUOTE(JSON_EXTRACT(@levels, CONCAT('$.', e.to_level)))), '{3}', e.reason),
               CONCAT('/api/grid-reports/', r.id), @now, 'Pending'
          FROM grid_report_escalations e
          JOIN grid_reports r ON r.id = e.report_id
          JOIN org_units g ON g.id = r.grid_id
          JOIN org_units v ON v.id = g.parent_id
          JOIN role_assignments ra
            ON (e.to_level = 'Village' AND ra.org_unit_id = v.id AND ra.role = 'VillageAdmin')
            OR (e.to_level = 'SubDistrict' AND ra.org_unit_id = v.parent_id AND ra.role = 'SubDistrictAdmin')
         WHERE e.at = @now AND (@id IS NULL OR e.report_id = @id)
           AND ra.user_id <> r.reporter_user_id AND (e.by_user_id IS NULL OR ra.user_id <> e.by_user_id)
        """ + Notices.SkipTold;

    public static ReportLevel? Above(ReportLevel level) => level switch
    {
        ReportLevel.Grid => ReportLevel.Village,
        ReportLevel.Village => ReportLevel.SubDistrict,
        _ => null,
    };

    /// <summary>Raises one report a level; false when another request raised it first.</summary>
    public static async Task<bool> RaiseAsync(MySqlConnection connection, MySqlTransaction transaction, long id, ReportLevel from, ReportLevel to,
        string reason, long callerId, DateTime now, CancellationToken ct)
    {
        var args = new { id, from = from.ToString(), to = to.ToString(), reason, callerId, now };
        if (await connection.ExecuteAsync(new CommandDefinition(Raise, args, transaction, cancellationToken: ct)) == 0)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(Record, args, transaction, cancellationToken: ct));
        await TellAsync(connection, transaction, id, now, ct);
        return true;
    }

    /// <summary>Raises every open report overdue by <paramref name="afterHours"/> at its level; returns how many moved.</summary>
    public static async Task<int> RaiseOverdueAsync(MySqlConnection connection, MySqlTransaction transaction, int afterHours, DateTime now, CancellationToken ct)
    {
        var reason = $"超过处理期限 {afterHours} 小时仍未办结，自动上报";
        var args = new { now, reason, gridBefore = now.AddHours(-afterHours), villageBefore = now.AddHours(-2 * afterHours), to = "" };
        // The sub-district step goes first, so a report raised to its village in this run waits a full grace there.
        var raised = await connection.ExecuteAsync(new CommandDefinition(RaiseOverdueToSubDistrict, args, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordOverdue, args with { to = "SubDistrict" }, transaction, cancellationToken: ct));
        raised += await connection.ExecuteAsync(new CommandDefinition(RaiseOverdueToVillage, args, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordOverdue, args with { to = "Village" }, transaction, cancellationToken: ct));
        if (raised > 0)
        {
            await TellAsync(connection, transaction, null, now, ct);
        }
        return raised;
    }

    private static Task<int> TellAsync(MySqlConnection connection, MySqlTransaction transaction, long? id, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(TellLevel, new
        {
            id, now, title = Notices.Title(NotificationKind.ReportEscalated), body = Notices.Body(NotificationKind.ReportEscalated),
            kinds = Notices.LabelsJson<ReportKind>(), levels = Notices.LabelsJson<ReportLevel>(),
        }, transaction, cancellationToken: ct));
}
