using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>Reading patrols: the list in the caller's scope and one patrol with its track.</summary>
public static class PatrolRecordsApi
{
    public static RouteGroupBuilder MapPatrolRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("", ListPatrols)
            .WithSummary("Patrol records of the caller's grids (or the caller's own), filterable by grid, member, period and status")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetPatrol)
            .WithSummary("One patrol with its GPS track (participants, and leaders and admins of its grid)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    internal const string Participant = """
        EXISTS (SELECT 1 FROM patrol_members own JOIN members own_member ON own_member.id = own.member_id
                 WHERE own.patrol_id = p.id AND own_member.user_id = @callerId)
        """;

    private const string PatrolById = """
        SELECT p.id, p.grid_id, p.started_by, p.status, p.started_at, p.finished_at, p.flags, p.decision_reason
          FROM patrols p WHERE p.id = @id
        """;

    private const string VisiblePatrol = """
        SELECT COUNT(*) FROM patrols p JOIN org_units target ON target.id = p.grid_id
         WHERE p.id = @id AND (
        """ + Participant + " OR " + Scope.Sees + ")";

    private const string PatrolsPage = """
        SELECT p.id, p.grid_id, p.started_by, p.status, p.started_at, p.finished_at, p.flags, p.decision_reason
          FROM patrols p
          JOIN org_units target ON target.id = p.grid_id
         WHERE (@gridId IS NULL OR p.grid_id = @gridId)
           AND (@status IS NULL OR p.status = @status)
           AND (@from IS NULL OR p.started_at >= @from)
           AND (@until IS NULL OR p.started_at < @until)
           AND (@memberId IS NULL OR EXISTS (SELECT 1 FROM patrol_members f WHERE f.patrol_id = p.id AND f.member_id = @memberId))
           AND (
        """ + Participant + " OR " + Scope.Sees + """
               )
         ORDER BY p.started_at DESC, p.id DESC
         LIMIT @limit OFFSET @offset
        """;

    private const string MembersOf = "SELECT patrol_id, member_id FROM patrol_members WHERE patrol_id IN @ids ORDER BY id";

    private const string TrackOf = """
        SELECT kind, member_id, at, lat, lng, photo_ref, note FROM patrol_checkins WHERE patrol_id = @id ORDER BY at, id
        """;

    private sealed class PatrolRow
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public long StartedBy { get; init; }
        public string Status { get; init; } = "";
        public DateTime StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public string? Flags { get; init; }
        public string? DecisionReason { get; init; }
    }

    private sealed record MemberOf(long PatrolId, long MemberId);

    public static async Task<Results<Ok<IReadOnlyList<PatrolView>>, ValidationProblem>> ListPatrols(
        HttpContext http, MySqlDataSource db, CancellationToken ct, long? gridId = null, long? memberId = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null, PatrolStatus? status = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<PatrolRow>(new CommandDefinition(PatrolsPage, new
        {
            callerId = http.User.UserId(), gridId, memberId, status = status?.ToString(), from = from?.UtcDateTime, until = until?.UtcDateTime,
            limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct))).ToList();
        return TypedResults.Ok(await ToViewsAsync(connection, rows, withTrack: false, ct));
    }

    public static async Task<Results<Ok<PatrolView>, ProblemHttpResult>> GetPatrol(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(VisiblePatrol, new { id, callerId = http.User.UserId() }, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("patrols.patrol.notFound");
        }
        return TypedResults.Ok(await ReadAsync(connection, id, withTrack: true, ct));
    }

    internal static async Task<PatrolView> ReadAsync(MySqlConnection connection, long id, bool withTrack, CancellationToken ct,
        MySqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleAsync<PatrolRow>(new CommandDefinition(PatrolById, new { id }, transaction, cancellationToken: ct));
        return (await ToViewsAsync(connection, [row], withTrack, ct, transaction))[0];
    }

    private static async Task<IReadOnlyList<PatrolView>> ToViewsAsync(MySqlConnection connection, List<PatrolRow> rows, bool withTrack, CancellationToken ct,
        MySqlTransaction? transaction = null)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var members = (await connection.QueryAsync<MemberOf>(new CommandDefinition(MembersOf, new { ids = rows.Select(r => r.Id).ToList() }, transaction, cancellationToken: ct)))
            .ToLookup(m => m.PatrolId, m => m.MemberId);
        var views = new List<PatrolView>(rows.Count);
        foreach (var row in rows)
        {
            var track = withTrack
                ? (await connection.QueryAsync<TrackPoint>(new CommandDefinition(TrackOf, new { id = row.Id }, transaction, cancellationToken: ct))).ToList()
                : null;
            views.Add(new PatrolView(row.Id, row.GridId, row.StartedBy, Enum.Parse<PatrolStatus>(row.Status), row.StartedAt, row.FinishedAt,
                members[row.Id].ToList(),
                (row.Flags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<PatrolFlag>).ToList(),
                row.DecisionReason, track));
        }
        return views;
    }
}
