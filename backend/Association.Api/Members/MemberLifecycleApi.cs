using Association.Api.Platform.Auth;
using Association.Api.Platform.Crypto;
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
        api.MapPost("/me/erase", EraseMyPersonalData)
            .WithSummary("Destroy my name, phone, ID number and address; my points and history stay with an anonymous member");
        api.MapPost("/{id}/reveal", RevealPersonalData)
            .WithSummary("Show a member's full ID number or phone to a SubDistrictAdmin for a stated purpose (audited)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

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

    private const string RecordEvent = """
        INSERT INTO member_events (member_id, kind, from_grid_id, to_grid_id, reason, by_user_id, at)
        VALUES (@id, @kind, @fromGridId, @toGridId, @reason, @callerId, @now)
        """;

    private const string EraseMember = """
        UPDATE members
           SET real_name = NULL, phone_cipher = NULL, phone_key_id = NULL, phone_masked = NULL,
               id_number_cipher = NULL, id_number_key_id = NULL, id_number_masked = NULL, id_number_hmac = NULL,
               address = NULL, user_id = NULL, status = 'Erased', erased_at = @now, updated_at = @now
         WHERE id = @id
        """;

    private const string EraseApplications = """
        UPDATE membership_applications
           SET real_name = NULL, phone_cipher = NULL, phone_key_id = NULL, phone_masked = NULL,
               id_number_cipher = NULL, id_number_key_id = NULL, id_number_masked = NULL, id_number_hmac = NULL,
               address = NULL, status = CASE WHEN status = 'Pending' THEN 'Withdrawn' ELSE status END, open_marker = NULL
         WHERE user_id = @callerId
        """;

    // The openid goes too: signing in again with the same WeChat account starts a new, unrelated resident.
    private const string EraseUser = """
        UPDATE users SET openid = CONCAT('erased:', id), unionid = NULL, session_key_cipher = NULL,
               session_key_key_id = NULL, status = 'Removed'
         WHERE id = @callerId
        """;

    private const string MyMemberId = "SELECT id FROM members WHERE user_id = @callerId FOR UPDATE";

    private const string RevealAccess = """
        SELECT m.phone_cipher, m.phone_key_id, m.id_number_cipher, m.id_number_key_id, (
        """ + Scope.SubDistrictAdminOf + """
        ) AS allowed
          FROM members m
          JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = @id
        """;

    private const string AuditReveal = """
        INSERT INTO personal_data_reveals (member_id, field, purpose, by_user_id, outcome, at)
        VALUES (@id, @field, @purpose, @callerId, @outcome, @now)
        """;

    private sealed class LockedMember
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public long GridId { get; init; }
        public bool Allowed { get; init; }
    }

    private sealed class SealedRow
    {
        public byte[]? PhoneCipher { get; init; }
        public string? PhoneKeyId { get; init; }
        public byte[]? IdNumberCipher { get; init; }
        public string? IdNumberKeyId { get; init; }
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
        if (Problems.CheckReason(request.Reason) is { } invalid)
        {
            return invalid;
        }
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
            return Problems.Invalid("gridId", $"No grid with id {request.GridId} among the grids you lead or administer.");
        }
        if (request.GridId == member!.GridId)
        {
            return Problems.Invalid("gridId", "The member already is in this grid.");
        }
        await connection.ExecuteAsync(new CommandDefinition(SetGrid, new { id, gridId = request.GridId, now }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordEvent, new
        {
            id, kind = nameof(MemberEventKind.Moved), fromGridId = member.GridId, toGridId = request.GridId, reason = request.Reason!.Trim(), callerId, now,
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, id, callerId, ct));
    }

    public static async Task<NoContent> EraseMyPersonalData(
        HttpContext http, MySqlDataSource db, SessionCache sessions, MemberNames names, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var erasedMember = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MyMemberId, new { callerId }, transaction, cancellationToken: ct));
        if (erasedMember is { } memberId)
        {
            await connection.ExecuteAsync(new CommandDefinition(EraseMember, new { id = memberId, now }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(RecordEvent, new
            {
                id = memberId, kind = nameof(MemberEventKind.Erased), fromGridId = (long?)null, toGridId = (long?)null, reason = (string?)null, callerId, now,
            }, transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(EraseApplications, new { callerId }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(EraseUser, new { callerId }, transaction, cancellationToken: ct));
        await SessionRevocation.RevokeAllAsync(connection, transaction, callerId, SessionEndReason.Erased, now, ct);
        await transaction.CommitAsync(ct);
        await sessions.ForgetAsync(callerId);
        if (erasedMember is { } erased)
        {
            await names.ForgetAsync(erased);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RevealResponse>, ValidationProblem, ProblemHttpResult>> RevealPersonalData(
        long id, RevealRequest request, HttpContext http, MySqlDataSource db, FieldCipher cipher, TimeProvider time, CancellationToken ct)
    {
        var purpose = request.Purpose?.Trim() ?? "";
        if (purpose.Length is < 5 or > 200)
        {
            return Problems.Invalid("purpose", "State why the full value is needed, 5 to 200 characters.");
        }
        if (!Enum.IsDefined(request.Field))
        {
            return Problems.Invalid("field", "Ask for IdNumber or Phone.");
        }
        var callerId = http.User.UserId();
        var audit = new { id, field = request.Field.ToString(), purpose, callerId, now = time.DbUtcNow(), outcome = "Refused" };
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SealedRow>(new CommandDefinition(RevealAccess, new { id, callerId }, cancellationToken: ct));
        if (row is null)
        {
            return Problems.NotFound("member", id);
        }
        var (sealedValue, keyId, context) = request.Field == PersonalField.IdNumber
            ? (row.IdNumberCipher, row.IdNumberKeyId, PersonalData.IdNumberContext)
            : (row.PhoneCipher, row.PhoneKeyId, PersonalData.PhoneContext);
        if (!row.Allowed || sealedValue is null || keyId is null)
        {
            // Refusals are audited too: repeated tries are what an audit is for.
            await connection.ExecuteAsync(new CommandDefinition(AuditReveal, audit, cancellationToken: ct));
            return row.Allowed
                ? Problems.Conflict("This member's personal data has been erased.")
                : Problems.Forbidden("Only a SubDistrictAdmin of the member's sub-district may see full personal numbers.");
        }
        await connection.ExecuteAsync(new CommandDefinition(AuditReveal, audit with { outcome = "Revealed" }, cancellationToken: ct));
        return TypedResults.Ok(new RevealResponse(id, request.Field, cipher.Decrypt(new EncryptedField(sealedValue, keyId), context)));
    }

    /// <param name="id">The member, or null for the caller's own membership.</param>
    private static async Task<Results<Ok<MemberView>, ValidationProblem, ProblemHttpResult>> ChangeStatusAsync(
        long? id, string? reason, MemberStatus[] from, MemberStatus to, MemberEventKind eventKind,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (Problems.CheckReason(reason) is { } invalid)
        {
            return invalid;
        }
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
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, memberId, callerId, ct));
    }

    private static ProblemHttpResult? CheckMember(LockedMember? member, long id, MemberStatus[] from)
    {
        if (member is null || !member.Allowed)
        {
            return Problems.NotFound("member", id);
        }
        return from.Contains(Enum.Parse<MemberStatus>(member.Status))
            ? null
            : Problems.Conflict($"The member is {member.Status}; this needs {string.Join(" or ", from)}.");
    }

    private static async Task<MemberView> ReadAsync(MySqlConnection connection, long id, long callerId, CancellationToken ct) =>
        (await connection.QuerySingleAsync<MembersApi.MemberRow>(new CommandDefinition(MembersApi.MemberInScope, new { id, callerId }, cancellationToken: ct))).ToView();
}
