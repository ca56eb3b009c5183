using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// A member's history (joined, armband, suspended with its reason, moved between grids, left): to the member, and to
/// leaders and admins of the member's grid. Outside the caller's scope a member has no history, as they have no record.
/// </summary>
public static class MemberHistoryApi
{
    public static RouteGroupBuilder MapMemberHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/history", GetMyHistory)
            .WithSummary("My history as a member, newest first, with the reasons given")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/history", GetMemberHistory)
            .WithSummary("A member's history, newest first (the member, and leaders and admins of the member's grid)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    /// <summary>A member's whole history stays small (a few events a year); the cap bounds a pathological one.</summary>
    private const int MaxEvents = 500;

    private const string Events = """
        SELECT e.id, e.kind, e.from_grid_id, fg.name AS from_grid_name, e.to_grid_id, tg.name AS to_grid_name, e.reason, e.by_user_id, e.at
          FROM member_events e
          LEFT JOIN org_units fg ON fg.id = e.from_grid_id
          LEFT JOIN org_units tg ON tg.id = e.to_grid_id
         WHERE e.member_id = @memberId
         ORDER BY e.at DESC, e.id DESC
         LIMIT @limit
        """;

    private const string MyMemberId = "SELECT id FROM members WHERE user_id = @callerId";

    private const string MemberInScope = """
        SELECT m.id FROM members m JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = @id AND (m.user_id = @callerId OR
        """ + Scope.Sees + ")";

    private sealed record EventRow(long Id, string Kind, long? FromGridId, string? FromGridName, long? ToGridId, string? ToGridName,
        string? Reason, long? ByUserId, DateTime At)
    {
        public MemberEvent ToView() => new(Id, Enum.Parse<MemberEventKind>(Kind), FromGridId, FromGridName, ToGridId, ToGridName, Reason, ByUserId, At);
    }

    public static async Task<Results<Ok<IReadOnlyList<MemberEvent>>, ProblemHttpResult>> GetMyHistory(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var memberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MyMemberId, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return memberId is null ? Problems.NotAMember() : TypedResults.Ok(await EventsAsync(connection, memberId.Value, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<MemberEvent>>, ProblemHttpResult>> GetMemberHistory(
        long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var memberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MemberInScope, new { id, callerId = http.User.UserId() }, cancellationToken: ct));
        return memberId is null ? Problems.NotFound("membership.member.notFound") : TypedResults.Ok(await EventsAsync(connection, memberId.Value, ct));
    }

    private static async Task<IReadOnlyList<MemberEvent>> EventsAsync(MySqlConnection connection, long memberId, CancellationToken ct) =>
        (await connection.QueryAsync<EventRow>(new CommandDefinition(Events, new { memberId, limit = MaxEvents }, cancellationToken: ct)))
            .Select(e => e.ToView()).ToList();
}
