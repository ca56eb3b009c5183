using Association.Api.GridReports;
using Association.Api.Insurance;
using Association.Api.Members;
using Association.Api.Notifications;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Todos;

/// <summary>
/// What waits for the caller (待办), in one round trip: for each kind, how many in the caller's scope, how many of them
/// late, and the oldest few with the call that settles each. Scope is the caller's grids: every grid at or below a unit
/// they hold a role on (as <see cref="Scope.Sees"/>), each looked up by its (grid, status) index, so the cost follows
/// the work waiting, not the size of the association.
/// </summary>
public static class TodosApi
{
    public static RouteGroupBuilder MapTodosApi(this RouteGroupBuilder api)
    {
        api.MapGet("", GetTodos)
            .WithSummary("What waits for me, counted in my scope, with the oldest items and the operation that acts on each")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    private const int FirstItems = 3;

    // The grids the caller sees, and whether as an admin (VillageAdmin or SubDistrictAdmin above the grid).
    private const string Mine = """
        WITH mine AS (
            SELECT target.id AS grid_id, target.name AS grid_name, MAX(ra.role IN ('VillageAdmin', 'SubDistrictAdmin')) AS admin
              FROM role_assignments ra
              JOIN org_units su ON su.id = ra.org_unit_id
              JOIN org_units target ON target.path LIKE CONCAT(su.path, '%') AND target.kind = 'Grid'
             WHERE ra.user_id = @callerId
             GROUP BY target.id, target.name)

        """;

    private const string Window = ", COUNT(*) OVER () AS total, CAST(SUM(overdue) OVER () AS SIGNED) AS total_overdue";

    private const string Applications = Mine + """
        SELECT x.*
        """ + Window + """
          FROM (SELECT a.id, a.grid_id, a.real_name AS subject, mine.grid_name AS unit_name, a.created_at AS at, a.created_at < @applicationLate AS overdue
                  FROM mine JOIN membership_applications a ON a.grid_id = mine.grid_id AND a.status = 'Pending'
                 WHERE a.user_id <> @callerId) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    private const string Patrols = Mine + """
        SELECT x.*
        """ + Window + """
          FROM (SELECT p.id, p.grid_id, s.real_name AS subject, mine.grid_name AS unit_name, p.finished_at AS at, p.finished_at < @patrolLate AS overdue
                  FROM mine
                  JOIN patrols p ON p.grid_id = mine.grid_id AND p.status = 'Finished'
                  LEFT JOIN members s ON s.id = p.started_by
                 WHERE NOT EXISTS (SELECT 1 FROM patrol_members pm JOIN members pmm ON pmm.id = pm.member_id
                                    WHERE pm.patrol_id = p.id AND pmm.user_id = @callerId)) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    // One text for each report status a leader acts on, the status written in when the batch is put together.
    private const string Reports = Mine + """
        SELECT x.*
        """ + Window + """
          FROM (SELECT r.id, r.grid_id, r.kind AS subject, mine.grid_name AS unit_name, r.created_at AS at, r.deadline_at < @now AS overdue
                  FROM mine JOIN grid_reports r ON r.grid_id = mine.grid_id AND r.status = @status
                 WHERE r.reporter_user_id <> @callerId) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    private const string Overdue = Mine + """
        SELECT x.*
        """ + Window + """
          FROM (SELECT r.id, r.grid_id, r.kind AS subject, mine.grid_name AS unit_name, r.deadline_at AS at, TRUE AS overdue
                  FROM mine JOIN grid_reports r ON r.grid_id = mine.grid_id AND r.status IN ('Submitted', 'Accepted', 'Assigned')
                 WHERE r.deadline_at < @now) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    private const string AssignedToMe = """
        SELECT x.*
        """ + Window + """
          FROM (SELECT r.id, r.grid_id, r.kind AS subject, g.name AS unit_name, r.deadline_at AS at, r.deadline_at < @now AS overdue
                  FROM members m
                  JOIN grid_reports r ON r.assigned_member_id = m.id AND r.status = 'Assigned'
                  JOIN org_units g ON g.id = r.grid_id
                 WHERE m.user_id = @callerId) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    private const string Publicity = Mine + """
        SELECT x.*
        """ + Window + """
          FROM (SELECT w.id, w.grid_id, w.title AS subject, mine.grid_name AS unit_name, w.created_at AS at, FALSE AS overdue
                  FROM mine
                  JOIN publicity_works w ON w.grid_id = mine.grid_id AND w.status = 'Submitted'
                  JOIN members author ON author.id = w.member_id
                 WHERE author.user_id IS NULL OR author.user_id <> @callerId) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    // Insurance is the admins' work: members past the time allowed to get cover, as the daily notices count them.
    private const string Uncovered = Mine + """
        SELECT x.*
        """ + Window + """
          FROM (SELECT m.id, m.grid_id, m.member_number AS subject, mine.grid_name AS unit_name, m.joined_at AS at, TRUE AS overdue
                  FROM mine JOIN members m ON m.grid_id = mine.grid_id AND m.status = 'Active'
                 WHERE mine.admin AND m.joined_on <= @latestJoin AND NOT
        """ + InsuranceSql.CoveredOn + """
                ) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    // Events are held by any unit, not only grids: the organisers are whoever holds a role over the event's unit.
    private const string EventsEnded = """
        SELECT x.*
        """ + Window + """
          FROM (SELECT e.id, e.unit_id AS grid_id, e.title AS subject, target.name AS unit_name, e.ends_at AS at, e.ends_at < @eventLate AS overdue
                  FROM events e JOIN org_units target ON target.id = e.unit_id
                 WHERE e.status = 'Open' AND e.ends_at < @now AND
        """ + " " + Scope.Sees + """
                ) x
         ORDER BY x.at, x.id LIMIT @first;
        """;

    private const string Unread = "SELECT COUNT(*) FROM notifications WHERE user_id = @callerId AND read_at IS NULL;";

    // Properties, not a constructor: comparisons come back as integers, which Dapper turns into bool only for properties.
    private sealed class Row
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public string? Subject { get; init; }
        public string UnitName { get; init; } = "";
        public DateTime At { get; init; }
        public bool Overdue { get; init; }
        public long Total { get; init; }
        public long TotalOverdue { get; init; }
    }

    private sealed record Kind(TodoKind Todo, string Sql, Func<Row, string> Subject, Func<long, TodoLink> Open, Func<long, TodoLink> Act,
        Func<Row, TodoLink> List);

    private static string ReportSubject(Row row) => Enum.TryParse<ReportKind>(row.Subject, out var kind) ? EnumLabels.Chinese(kind) : "";

    private static TodoLink Get(string path) => new("GET", path);

    private static TodoLink Post(string path) => new("POST", path);

    private static Kind ReportKindOf(TodoKind todo, ReportStatus status, string act) => new(todo,
        Reports.Replace("@status", $"'{status}'", StringComparison.Ordinal), ReportSubject,
        id => Get($"/api/grid-reports/{id}"), id => Post($"/api/grid-reports/{id}/{act}"), row => Get($"/api/grid-reports?status={status}"));

    // In the order of the day's work: people waiting for an answer first, then reports by their stage.
    private static readonly Kind[] Kinds =
    [
        new(TodoKind.ApplicationsToDecide, Applications, row => MemberNames.Masked(row.Subject),
            id => Get("/api/membership/applications?status=Pending"), id => Post($"/api/membership/applications/{id}/approve"),
            row => Get($"/api/membership/applications?status=Pending&gridId={row.GridId}")),
        new(TodoKind.ReportsAssignedToMe, AssignedToMe, ReportSubject,
            id => Get($"/api/grid-reports/{id}"), id => Post($"/api/grid-reports/{id}/resolve"), row => Get("/api/grid-reports/assigned-to-me")),
        new(TodoKind.ReportsOverdue, Overdue, ReportSubject,
            id => Get($"/api/grid-reports/{id}"), id => Post($"/api/grid-reports/{id}/resolve"), row => Get("/api/grid-reports/overdue")),
        ReportKindOf(TodoKind.ReportsToRelease, ReportStatus.Held, "release"),
        ReportKindOf(TodoKind.ReportsToAccept, ReportStatus.Submitted, "accept"),
        ReportKindOf(TodoKind.ReportsToAssign, ReportStatus.Accepted, "assign"),
        ReportKindOf(TodoKind.ReportsToClose, ReportStatus.Resolved, "close"),
        new(TodoKind.PatrolsToConfirm, Patrols, row => MemberNames.Masked(row.Subject),
            id => Get($"/api/patrols/{id}"), id => Post($"/api/patrols/{id}/confirm"), row => Get("/api/patrols?status=Finished")),
        new(TodoKind.PublicityToPublish, Publicity, row => row.Subject ?? "",
            id => Get("/api/publicity?status=Submitted"), id => Post($"/api/publicity/{id}/publish"), row => Get("/api/publicity?status=Submitted")),
        new(TodoKind.MembersUncovered, Uncovered, row => row.Subject ?? "",
            id => Get($"/api/insurance/members/{id}"), id => Get($"/api/insurance/members/{id}"), row => Get($"/api/insurance/gaps?unitId={row.GridId}")),
        new(TodoKind.EventsToConfirm, EventsEnded, row => row.Subject ?? "",
            id => Get($"/api/events/{id}/signups"), id => Post($"/api/events/{id}/attendance"), row => Get("/api/events?status=Open&ended=true")),
    ];

    /// <summary>Every kind's statement and the unread count, one text sent as one batch.</summary>
    private static readonly string Batch = string.Concat(Kinds.Select(k => k.Sql)) + Unread;

    public static async Task<Ok<Todos>> GetTodos(HttpContext http, MySqlDataSource db, IOptions<NotificationOptions> notifications,
        IOptions<InsuranceOptions> insurance, TimeProvider time, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var parameters = new DynamicParameters(new
        {
            callerId = http.User.UserId(),
            now,
            first = FirstItems,
            applicationLate = now.AddDays(-notifications.Value.ApplicationWaitingDays),
            patrolLate = now.AddDays(-notifications.Value.PatrolWaitingDays),
            eventLate = now.AddDays(-notifications.Value.AttendanceWaitingDays),
            latestJoin = time.Today().AddDays(-insurance.Value.CoverWithinDays).ToDateTime(TimeOnly.MinValue),
            day = time.Today().ToDateTime(TimeOnly.MinValue),
        });
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(Batch, parameters, cancellationToken: ct));
        var groups = new List<TodoGroup>();
        foreach (var kind in Kinds)
        {
            var rows = (await results.ReadAsync<Row>()).ToList();
            if (rows.Count == 0)
            {
                continue;
            }
            groups.Add(new TodoGroup(kind.Todo, EnumLabels.Chinese(kind.Todo), (int)rows[0].Total, (int)rows[0].TotalOverdue,
                rows.Select(r => new TodoItem(r.Id, kind.Subject(r), r.UnitName, r.At, r.Overdue, kind.Open(r.Id), kind.Act(r.Id))).ToList(),
                kind.List(rows[0])));
        }
        var unread = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(new Todos(groups.Sum(g => g.Count), unread, groups));
    }
}
