using Association.Api.Notifications;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// What happens to a member after joining: suspension, reinstatement, leaving, moving grid (each an
/// event in the member's history), erasure of their personal data on their own request, and the
/// audited reveal of a full ID number or phone.
/// </summary>
public static class MemberLifecycleApi
{
    public static RouteGroupBuilder MapMemberLifecycleApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/suspend", SuspendMember).WithSummary("Suspend an active member, with a reason")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/reinstate", ReinstateMember).WithSummary("Make a suspended or departed member active again")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/leave", RecordMemberLeft).WithSummary("Record that a member has left the association")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/move", MoveMember).WithSummary("Move a member to another grid; the history keeps both")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/me/leave", LeaveAssociation).WithSummary("Leave the association myself; my history and points stay")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private const string LockMember = """
        SELECT m.id, m.status, m.grid_id, (
        """ + Scope.Sees + """
        ) AS allowed
          FROM members m
          JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = @id
           FOR UPDATE
        """;

    // A member acting on their own membership: no role needed, only their own row.
    private const string LockOwnMember = """
        SELECT m.id, m.status, m.grid_id, TRUE AS allowed
          FROM members m
         WHERE m.user_id = @callerId
           FOR UPDATE
        """;

    private const string GridVisible = """
        SELECT COUNT(*) FROM org_units target WHERE target.id = @gridId AND target.kind = 'Grid' AND
        """ + Scope.Sees;

    private const string SetStatus = "UPDATE members SET status = @status, updated_at = @now WHERE id = @id";

    private const string SetGrid = "UPDATE members SET grid_id = @gridId, updated_at = @now WHERE id = @id";

    internal const string RecordEvent = """
        INSERT INTO member_events (member_id, kind, from_grid_id, to_grid_id, reason, by_user_id, at)
        VALUES (@id, @kind, @fromGridId, @toGridId, @reason, @callerId, @now)
        """;

    // Right after RecordEvent, whose row id (LAST_INSERT_ID) names the event; nobody is told of what they did themselves.
    private const string TellMember = Notices.InsertInto + """
        SELECT m.user_id, @kind, CONCAT('member-event:', LAST_INSERT_ID()), @title, @body, '/api/members/me/history', @now, 'Pending'
          FROM members m
         WHERE m.id = @id AND m.user_id IS NOT NULL AND m.user_id <> @callerId
        """ + Notices.SkipTold;

    private sealed class LockedMember
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public long GridId { get; init; }
        public bool Allowed { get; init; }
    }

    public static Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> SuspendMember(
        long id, ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        ChangeStatusAsync(id, request.Reason, [MemberStatus.Active], MemberStatus.Suspended, MemberEventKind.Suspended, http, db, time, ct);

    public static Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> ReinstateMember(
        long id, ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        ChangeStatusAsync(id, request.Reason, [MemberStatus.Suspended, MemberStatus.Left], MemberStatus.Active, MemberEventKind.Reinstated, http, db, time, ct);

    public static Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> RecordMemberLeft(
        long id, ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        ChangeStatusAsync(id, request.Reason, [MemberStatus.Active, MemberStatus.Suspended], MemberStatus.Left, MemberEventKind.Left, http, db, time, ct);

    public static Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> LeaveAssociation(
        ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        ChangeStatusAsync(null, request.Reason, [MemberStatus.Active, MemberStatus.Suspended], MemberStatus.Left, MemberEventKind.Left, http, db, time, ct);

    public static async Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> MoveMember(
        long id, MoveRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var member = await connection.QuerySingleOrDefaultAsync<LockedMember>(new CommandDefinition(LockMember, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckMember(member, id, [MemberStatus.Active, MemberStatus.Suspended]) is { } refused)
        {
            return refused;
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(GridVisible, new { gridId = request.GridId, callerId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Invalid("gridId", "membership.grid.notInScope");
        }
        if (request.GridId == member!.GridId)
        {
            return Problems.Invalid("gridId", "membership.move.sameGrid");
        }
        await connection.ExecuteAsync(new CommandDefinition(SetGrid, new { id, gridId = request.GridId, now }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordEvent, new
        {
            id, kind = nameof(MemberEventKind.Moved), fromGridId = member.GridId, toGridId = request.GridId, reason = request.Reason!.Trim(), callerId, now,
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, id, callerId, ct));
    }

    /// <param name="id">The member, or null for the caller's own membership.</param>
    private static async Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> ChangeStatusAsync(
        long? id, string? reason, MemberStatus[] from, MemberStatus to, MemberEventKind eventKind,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var member = await connection.QuerySingleOrDefaultAsync<LockedMember>(new CommandDefinition(
            id is null ? LockOwnMember : LockMember, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckMember(member, id ?? 0, from) is { } refused)
        {
            return refused;
        }
        var memberId = member!.Id;
        await connection.ExecuteAsync(new CommandDefinition(SetStatus, new { id = memberId, status = to.ToString(), now }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordEvent, new
        {
            id = memberId, kind = eventKind.ToString(), fromGridId = (long?)null, toGridId = (long?)null, reason = reason!.Trim(), callerId, now,
        }, transaction, cancellationToken: ct));
        NotificationKind? told = eventKind switch
        {
            MemberEventKind.Suspended => NotificationKind.MemberSuspended,
            MemberEventKind.Reinstated => NotificationKind.MemberReinstated,
            _ => null,
        };
        if (told is { } kind)
        {
            await connection.ExecuteAsync(new CommandDefinition(TellMember, new
            {
                id = memberId, kind = kind.ToString(), title = Notices.Title(kind), body = Notices.Body(kind, reason.Trim()), callerId, now,
            }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, memberId, callerId, ct));
    }

    private static ProblemHttpResult? CheckMember(LockedMember? member, long id, MemberStatus[] from)
    {
        if (member is null || !member.Allowed)
        {
            return Problems.NotFound("membership.member.notFound");
        }
        return from.Contains(Enum.Parse<MemberStatus>(member.Status))
            ? null
            : Problems.Conflict("membership.member.wrongStatus", Enum.Parse<MemberStatus>(member.Status));
    }

    private static async Task<MemberView> ReadAsync(MySqlConnection connection, long id, long callerId, CancellationToken ct) =>
        (await connection.QuerySingleAsync<MembersApi.MemberRow>(new CommandDefinition(MembersApi.MemberInScope, new { id, callerId }, cancellationToken: ct))).ToView();
}
