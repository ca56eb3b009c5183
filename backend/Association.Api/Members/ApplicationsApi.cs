using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Association.WeChat;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// Residents apply to join; the grid leader of the chosen grid, or an admin above it, decides.
/// Approval creates the member in the same transaction that closes the application, under a row
/// lock, and members.application_id is unique: one application can never make two members.
/// </summary>
public static class ApplicationsApi
{
    public static RouteGroupBuilder MapApplicationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", Apply)
            .WithSummary("Apply to join the association as a red-armband member")
            .Idempotent()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/mine", GetMyApplications)
            .WithSummary("My applications and their outcomes, newest first");
        api.MapGet("", ListApplications)
            .WithSummary("Applications in the grids the caller leads or administers")
            .ProducesValidationProblem();

        return api;
    }

    internal const string ApplicationColumns = """
        SELECT a.id, a.user_id, a.grid_id, g.name AS grid_name, a.real_name, a.phone_masked, a.id_number_masked,
               a.address, a.volunteer_roles, a.status, a.decision_reason, a.created_at, a.decided_at,
               (SELECT m.id FROM members m WHERE m.application_id = a.id) AS member_id
          FROM membership_applications a
          JOIN org_units g ON g.id = a.grid_id
        """;

    private const string MyApplications = ApplicationColumns + " WHERE a.user_id = @callerId ORDER BY a.id DESC";

    internal const string ApplicationById = ApplicationColumns + " WHERE a.id = @id";

    private const string ApplicationsInScope = ApplicationColumns + """
          JOIN org_units target ON target.id = a.grid_id
         WHERE (@status IS NULL OR a.status = @status)
           AND (@gridId IS NULL OR a.grid_id = @gridId)
           AND
        """ + Scope.Sees + """
         ORDER BY a.id
         LIMIT @limit OFFSET @offset
        """;

    private const string GridKind = "SELECT kind FROM org_units WHERE id = @gridId";

    private const string ExistingMembership = """
        SELECT COUNT(*) FROM members WHERE user_id = @callerId OR id_number_hmac = @hmac
        """;

    private const string OpenApplications = """
        SELECT COUNT(*) FROM membership_applications
         WHERE status = 'Pending' AND (user_id = @callerId OR id_number_hmac = @hmac)
        """;

    internal const string InsertApplication = """
        INSERT INTO membership_applications
            (user_id, grid_id, real_name, phone_cipher, phone_key_id, phone_masked, id_number_cipher, id_number_key_id,
             id_number_masked, id_number_hmac, address, volunteer_roles, privacy_notice_version, consented_at,
             notify_on_decision, status, open_marker, created_at)
        VALUES
            (@callerId, @gridId, @realName, @phoneCipher, @phoneKeyId, @phoneMasked, @idNumberCipher, @idNumberKeyId,
             @idNumberMasked, @idNumberHmac, @address, @roles, @noticeVersion, @now, @notify, 'Pending', 1, @now);
        SELECT LAST_INSERT_ID();
        """;

    internal sealed class ApplicationRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public string? RealName { get; init; }
        public string? PhoneMasked { get; init; }
        public string? IdNumberMasked { get; init; }
        public string? Address { get; init; }
        public string VolunteerRoles { get; init; } = "";
        public string Status { get; init; } = "";
        public string? DecisionReason { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? DecidedAt { get; init; }
        public long? MemberId { get; init; }

        public ApplicationView ToView() => new(Id, UserId, GridId, GridName, RealName, PhoneMasked, IdNumberMasked, Address,
            PersonalData.Roles(VolunteerRoles), Enum.Parse<ApplicationStatus>(Status), DecisionReason, CreatedAt, DecidedAt, MemberId);
    }

    public static async Task<Results<Created<ApplicationView>, ValidationProblem, ProblemHttpResult>> Apply(
        ApplyRequest request, HttpContext http, MySqlDataSource db, FieldCipher cipher, WeChatClient weChat,
        IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        // The request's rules have run (ValidationFilter); these only normalise what they accepted.
        var callerId = http.User.UserId();
        var realName = request.RealName!.Trim();
        var address = request.Address!.Trim();
        IdNumber.Validate(request.IdNumber, time.Today(), out var idNumber, out _);
        var phone = "";
        if (request.PhoneCode is { Length: > 0 } phoneCode)
        {
            try
            {
                phone = (await weChat.GetPhoneNumberAsync(phoneCode, ct)).PurePhoneNumber;
            }
            catch (Exception ex) when (ex is WeChatDataRejectedException or WeChatInvalidCodeException)
            {
                return Problems.Invalid("phoneCode", "membership.phoneCode.rejected");
            }
        }
        else
        {
            PhoneNumber.Validate(request.Phone, out phone);
        }

        var personal = PersonalData.Seal(cipher, phone, idNumber);
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var args = new
        {
            callerId,
            gridId = request.GridId,
            realName,
            phoneCipher = personal.PhoneCipher,
            phoneKeyId = personal.PhoneKeyId,
            phoneMasked = personal.PhoneMasked,
            idNumberCipher = personal.IdNumberCipher,
            idNumberKeyId = personal.IdNumberKeyId,
            idNumberMasked = personal.IdNumberMasked,
            idNumberHmac = personal.IdNumberHmac,
            hmac = personal.IdNumberHmac,
            address,
            roles = PersonalData.Roles(request.VolunteerRoles!),
            noticeVersion = options.Value.PrivacyNoticeVersion,
            notify = request.NotifyOnDecision,
            now,
        };
        var kind = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(GridKind, args, transaction, cancellationToken: ct));
        if (kind != nameof(OrgUnitKind.Grid))
        {
            return Problems.Invalid("gridId", "membership.grid.notFound");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistingMembership, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("membership.application.alreadyMember");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(OpenApplications, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("membership.application.pendingExists");
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertApplication, args, transaction, cancellationToken: ct));
        var view = await connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(ApplicationById, new { id }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/membership/applications/{id}", view.ToView(), ct);
    }

    public static async Task<Ok<IReadOnlyList<ApplicationView>>> GetMyApplications(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ApplicationRow>(new CommandDefinition(MyApplications, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ApplicationView>>(rows.Select(r => r.ToView()).ToList());
    }

    public static async Task<Results<Ok<IReadOnlyList<ApplicationView>>, ValidationProblem>> ListApplications(
        HttpContext http, MySqlDataSource db, CancellationToken ct,
        ApplicationStatus? status = null, long? gridId = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ApplicationRow>(new CommandDefinition(ApplicationsInScope, new
        {
            callerId = http.User.UserId(),
            status = status?.ToString(),
            gridId,
            limit = pageSize,
            offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ApplicationView>>(rows.Select(r => r.ToView()).ToList());
    }
}
