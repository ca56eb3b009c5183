using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Figures;

/// <summary>
/// Rolls one China month up from the base tables into <c>unit_month_figures</c> and its two companions, in one
/// transaction that rewrites the month's rows: readers see the old month or the new one, and a second instance rolling
/// the same month waits, then writes the same figures again. Every statement is set-based and bounded by the month.
/// </summary>
public sealed class FigureRollup(MySqlDataSource db, TimeProvider time)
{
    // Every unit has a row for the month (a unit added since gets one); the work columns start again from nothing.
    private const string ClearWork = """
        INSERT INTO unit_month_figures (unit_id, month) SELECT id, @month FROM org_units
        ON DUPLICATE KEY UPDATE members_joined = 0, members_suspended = 0, members_left = 0, members_at_end = 0, patrols = 0,
            patrols_confirmed = 0, patrol_minutes = 0, reports = 0, reports_accepted = 0, reports_resolved = 0, reports_resolved_on_time = 0,
            reports_overdue = 0, resolved_at_grid = 0, resolved_at_village = 0, resolved_at_sub_district = 0, disputes_resolved = 0,
            disputes_settled_locally = 0, publicity_published = 0, insured_at_end = 0, members_covered = 0, days_to_cover = 0,
            events_held = 0, attendances = 0;
        DELETE FROM unit_month_report_counts WHERE month = @month;
        DELETE FROM unit_month_report_hours WHERE month = @month;
        """;

    private const string ClearLedger = "UPDATE unit_month_figures SET active_members = 0, points_earned = 0 WHERE month = @month";

    // Members are counted in the grid they are in now: a move is rare, and the month's work went with them.
    private const string Members = """
        UPDATE unit_month_figures f
          JOIN (SELECT m.grid_id,
                       SUM(m.joined_on BETWEEN @firstDay AND @lastDay) AS joined,
                       COUNT(*) AS at_end,
                       SUM(EXISTS (SELECT 1 FROM insurance_coverages c JOIN insurance_policies p ON p.id = c.policy_id
                                    WHERE c.member_id = m.id AND c.covered_from <= @lastDay
                                      AND p.coverage_start <= @lastDay AND p.coverage_end >= @lastDay)) AS insured
                  FROM members m
                 WHERE m.joined_on <= @lastDay
                   AND NOT EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = m.id AND e.kind IN ('Left', 'Erased') AND e.at < @toUtc)
                 GROUP BY m.grid_id) x ON x.grid_id = f.unit_id
           SET f.members_joined = x.joined, f.members_at_end = x.at_end, f.insured_at_end = x.insured
         WHERE f.month = @month
        """;

    private const string MemberChanges = """
        UPDATE unit_month_figures f
          JOIN (SELECT m.grid_id, SUM(e.kind = 'Suspended') AS suspended, SUM(e.kind = 'Left') AS left_
                  FROM member_events e JOIN members m ON m.id = e.member_id
                 WHERE e.kind IN ('Suspended', 'Left') AND e.at >= @fromUtc AND e.at < @toUtc
                 GROUP BY m.grid_id) x ON x.grid_id = f.unit_id
           SET f.members_suspended = x.suspended, f.members_left = x.left_
         WHERE f.month = @month
        """;

    // Joiners of the month and how many days they waited for their first cover (from their joining day).
    private const string Cover = """
        UPDATE unit_month_figures f
          JOIN (SELECT c.grid_id, COUNT(*) AS covered, SUM(GREATEST(DATEDIFF(c.first_cover, c.joined_on), 0)) AS days
                  FROM (SELECT m.grid_id, m.joined_on,
                               (SELECT MIN(GREATEST(ic.covered_from, ip.coverage_start)) FROM insurance_coverages ic
                                  JOIN insurance_policies ip ON ip.id = ic.policy_id WHERE ic.member_id = m.id) AS first_cover
                          FROM members m WHERE m.joined_on BETWEEN @firstDay AND @lastDay) c
                 WHERE c.first_cover IS NOT NULL
                 GROUP BY c.grid_id) x ON x.grid_id = f.unit_id
           SET f.members_covered = x.covered, f.days_to_cover = x.days
         WHERE f.month = @month
        """;

    // Points earned or taken back in the month (redemptions spend points, they do not earn them). An entry made in the
    // first days of a quarter may still count in the previous one, hence both quarters.
    private const string Points = """
        UPDATE unit_month_figures f
          JOIN (SELECT m.grid_id, COUNT(DISTINCT pe.member_id) AS active, SUM(pe.points) AS points
                  FROM point_entries pe JOIN members m ON m.id = pe.member_id
                 WHERE pe.quarter IN (@quarter, @previousQuarter) AND pe.created_at >= @fromUtc AND pe.created_at < @toUtc
                   AND pe.entry_kind IN ('Award', 'Adjustment', 'Reversal')
                 GROUP BY m.grid_id) x ON x.grid_id = f.unit_id
           SET f.active_members = x.active, f.points_earned = x.points
         WHERE f.month = @month
        """;

    // Patrols by the month they started in; hours are the confirmed patrols' length times the members on them.
    private const string Patrols = """
        UPDATE unit_month_figures f
          JOIN (SELECT p.grid_id, COUNT(*) AS patrols, SUM(p.status = 'Confirmed') AS confirmed,
                       SUM(CASE WHEN p.status = 'Confirmed'
                                THEN TIMESTAMPDIFF(MINUTE, p.started_at, p.finished_at) * (SELECT COUNT(*) FROM patrol_members pm WHERE pm.patrol_id = p.id)
                                ELSE 0 END) AS minutes
                  FROM patrols p
                 WHERE p.started_at >= @fromUtc AND p.started_at < @toUtc
                 GROUP BY p.grid_id) x ON x.grid_id = f.unit_id
           SET f.patrols = x.patrols, f.patrols_confirmed = x.confirmed, f.patrol_minutes = x.minutes
         WHERE f.month = @month
        """;

    // Reports still held for content review were never published, so they are not counted.
    private const string ReportsMade = """
        UPDATE unit_month_figures f
          JOIN (SELECT r.grid_id, COUNT(*) AS made
                  FROM grid_reports r
                 WHERE r.created_at >= @fromUtc AND r.created_at < @toUtc AND r.status <> 'Held'
                 GROUP BY r.grid_id) x ON x.grid_id = f.unit_id
           SET f.reports = x.made
         WHERE f.month = @month
        """;

    private const string ReportsAccepted = """
        UPDATE unit_month_figures f
          JOIN (SELECT r.grid_id, COUNT(*) AS accepted FROM grid_reports r
                 WHERE r.accepted_at >= @fromUtc AND r.accepted_at < @toUtc GROUP BY r.grid_id) x ON x.grid_id = f.unit_id
           SET f.reports_accepted = x.accepted
         WHERE f.month = @month
        """;

    private const string ReportsResolved = """
        UPDATE unit_month_figures f
          JOIN (SELECT r.grid_id, COUNT(*) AS resolved, SUM(r.resolved_at <= r.deadline_at) AS on_time,
                       SUM(r.resolved_level = 'Grid') AS at_grid, SUM(r.resolved_level = 'Village') AS at_village,
                       SUM(r.resolved_level = 'SubDistrict') AS at_sub_district,
                       SUM(r.kind = 'Dispute') AS disputes, SUM(r.kind = 'Dispute' AND r.resolved_level IN ('Grid', 'Village')) AS locally
                  FROM grid_reports r
                 WHERE r.resolved_at >= @fromUtc AND r.resolved_at < @toUtc
                 GROUP BY r.grid_id) x ON x.grid_id = f.unit_id
           SET f.reports_resolved = x.resolved, f.reports_resolved_on_time = x.on_time, f.resolved_at_grid = x.at_grid,
               f.resolved_at_village = x.at_village, f.resolved_at_sub_district = x.at_sub_district,
               f.disputes_resolved = x.disputes, f.disputes_settled_locally = x.locally
         WHERE f.month = @month
        """;

    // Deadlines that fell in the month (and have passed) without the report resolved by then.
    private const string ReportsOverdue = """
        UPDATE unit_month_figures f
          JOIN (SELECT r.grid_id, COUNT(*) AS overdue FROM grid_reports r
                 WHERE r.deadline_at >= @fromUtc AND r.deadline_at < @toUtc AND r.deadline_at < @now
                   AND r.status NOT IN ('Held', 'Rejected') AND (r.resolved_at IS NULL OR r.resolved_at > r.deadline_at)
                 GROUP BY r.grid_id) x ON x.grid_id = f.unit_id
           SET f.reports_overdue = x.overdue
         WHERE f.month = @month
        """;

    private const string ReportCounts = """
        INSERT INTO unit_month_report_counts (unit_id, month, kind, status, reports)
        SELECT r.grid_id, @month, r.kind, r.status, COUNT(*)
          FROM grid_reports r
         WHERE r.created_at >= @fromUtc AND r.created_at < @toUtc AND r.status <> 'Held'
         GROUP BY r.grid_id, r.kind, r.status
        """;

    private const string ReportHours = """
        INSERT INTO unit_month_report_hours (unit_id, month, measure, hours, reports)
        SELECT r.grid_id, @month, 'Accept', TIMESTAMPDIFF(HOUR, r.created_at, r.accepted_at), COUNT(*)
          FROM grid_reports r WHERE r.accepted_at >= @fromUtc AND r.accepted_at < @toUtc
         GROUP BY r.grid_id, TIMESTAMPDIFF(HOUR, r.created_at, r.accepted_at);
        INSERT INTO unit_month_report_hours (unit_id, month, measure, hours, reports)
        SELECT r.grid_id, @month, 'Resolve', TIMESTAMPDIFF(HOUR, r.created_at, r.resolved_at), COUNT(*)
          FROM grid_reports r WHERE r.resolved_at >= @fromUtc AND r.resolved_at < @toUtc
         GROUP BY r.grid_id, TIMESTAMPDIFF(HOUR, r.created_at, r.resolved_at);
        """;

    private const string Publicity = """
        UPDATE unit_month_figures f
          JOIN (SELECT w.grid_id, COUNT(*) AS published FROM publicity_works w
                 WHERE w.status = 'Published' AND w.decided_at >= @fromUtc AND w.decided_at < @toUtc GROUP BY w.grid_id) x ON x.grid_id = f.unit_id
           SET f.publicity_published = x.published
         WHERE f.month = @month
        """;

    // An event is held when it has ended and was not called off; it counts for the unit that held it.
    private const string Events = """
        UPDATE unit_month_figures f
          JOIN (SELECT e.unit_id, COUNT(*) AS held FROM events e
                 WHERE e.status <> 'Cancelled' AND e.ends_at >= @fromUtc AND e.ends_at < @toUtc AND e.ends_at < @now
                 GROUP BY e.unit_id) x ON x.unit_id = f.unit_id
           SET f.events_held = x.held
         WHERE f.month = @month
        """;

    private const string Attendances = """
        UPDATE unit_month_figures f
          JOIN (SELECT m.grid_id, COUNT(*) AS attended FROM event_signups s
                  JOIN events e ON e.id = s.event_id JOIN members m ON m.id = s.member_id
                 WHERE s.attendance = 'Attended' AND e.ends_at >= @fromUtc AND e.ends_at < @toUtc
                 GROUP BY m.grid_id) x ON x.grid_id = f.unit_id
           SET f.attendances = x.attended
         WHERE f.month = @month
        """;

    private const string Stamp = """
        INSERT INTO figure_rollups (month, computed_at) VALUES (@month, @now)
        ON DUPLICATE KEY UPDATE computed_at = VALUES(computed_at)
        """;

    /// <summary>Everything but the ledger: what the ranking job refreshes before it ranks units.</summary>
    private static readonly string[] WorkStatements =
        [Members, MemberChanges, Cover, Patrols, ReportsMade, ReportsAccepted, ReportsResolved, ReportsOverdue, ReportCounts, ReportHours,
         Publicity, Events, Attendances];

    /// <summary>The first day of a China month.</summary>
    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    private static DateTime StartUtc(DateOnly month) => new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;

    public Task RollUpAsync(DateOnly month, CancellationToken ct) => RollUpAsync(month, withLedger: true, ct);

    /// <param name="withLedger">False keeps the month's points as they were rolled up last (the ledger is the big read).</param>
    public async Task RollUpAsync(DateOnly month, bool withLedger, CancellationToken ct)
    {
        month = MonthOf(month);
        var start = StartUtc(month);
        var quarter = Quarter.Of(month);
        var args = new
        {
            month = month.ToDateTime(TimeOnly.MinValue), firstDay = month.ToDateTime(TimeOnly.MinValue),
            lastDay = month.AddMonths(1).AddDays(-1).ToDateTime(TimeOnly.MinValue),
            fromUtc = start, toUtc = StartUtc(month.AddMonths(1)), now = time.DbUtcNow(),
            quarter = quarter.ToString(), previousQuarter = quarter.Previous.ToString(),
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        await DeadlockRetry.RunAsync(async () =>
        {
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            string[] statements = withLedger ? [ClearWork, .. WorkStatements, ClearLedger, Points] : [ClearWork, .. WorkStatements];
            foreach (var statement in statements)
            {
                await connection.ExecuteAsync(new CommandDefinition(statement, args, transaction, commandTimeout: 600, cancellationToken: ct));
            }
            await connection.ExecuteAsync(new CommandDefinition(Stamp, args, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return 0;
        });
    }
}
