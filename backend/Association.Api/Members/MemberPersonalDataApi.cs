using Association.Api.Platform.Auth;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>A member's personal data: erased on their own request, revealed in full to a SubDistrictAdmin with the reveal audited.</summary>
public static class MemberPersonalDataApi
{
    public static RouteGroupBuilder MapMemberPersonalDataApi(this RouteGroupBuilder api)
    {
        api.MapPost("/me/erase", EraseMyPersonalData)
            .WithSummary("Destroy my name, phone, ID number and address; my points and history stay with an anonymous member");
        api.MapPost("/{id}/reveal", RevealPersonalData)
            .WithSummary("Show a member's full ID number or phone to a SubDistrictAdmin for a stated purpose (audited)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

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
        """ + Scope.Sees + """
        ) AS sees, (
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

    private sealed class SealedRow
    {
        public byte[]? PhoneCipher { get; init; }
        public string? PhoneKeyId { get; init; }
        public byte[]? IdNumberCipher { get; init; }
        public string? IdNumberKeyId { get; init; }
        public bool Sees { get; init; }

        public bool Allowed { get; init; }
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
            await connection.ExecuteAsync(new CommandDefinition(MemberLifecycleApi.RecordEvent, new
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
        var purpose = request.Purpose!.Trim();
        var callerId = http.User.UserId();
        var audit = new { id, field = request.Field.ToString(), purpose, callerId, now = time.DbUtcNow(), outcome = "Refused" };
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SealedRow>(new CommandDefinition(RevealAccess, new { id, callerId }, cancellationToken: ct));
        if (row is null)
        {
            return Problems.NotFound("membership.member.notFound");
        }
        if (!row.Sees)
        {
            // Outside the caller's scope the member does not exist for them, as in every other read; the try is audited.
            await connection.ExecuteAsync(new CommandDefinition(AuditReveal, audit, cancellationToken: ct));
            return Problems.NotFound("membership.member.notFound");
        }
        var (sealedValue, keyId, context) = request.Field == PersonalField.IdNumber
            ? (row.IdNumberCipher, row.IdNumberKeyId, PersonalData.IdNumberContext)
            : (row.PhoneCipher, row.PhoneKeyId, PersonalData.PhoneContext);
        if (!row.Allowed || sealedValue is null || keyId is null)
        {
            // Refusals are audited too: repeated tries are what an audit is for.
            await connection.ExecuteAsync(new CommandDefinition(AuditReveal, audit, cancellationToken: ct));
            return row.Allowed
                ? Problems.Conflict("membership.personalData.erased")
                : Problems.Forbidden("membership.personalData.notSubDistrictAdmin");
        }
        await connection.ExecuteAsync(new CommandDefinition(AuditReveal, audit with { outcome = "Revealed" }, cancellationToken: ct));
        return TypedResults.Ok(new RevealResponse(id, request.Field, cipher.Decrypt(new EncryptedField(sealedValue, keyId), context)));
    }
}
