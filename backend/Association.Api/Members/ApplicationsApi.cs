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
            .WithMetadata(new IdempotentAttribute())
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/mine", GetMyApplications)
            .WithSummary("My applications and their outcomes, newest first");
        api.MapGet("", ListApplications)
            .WithSummary("Applications in the grids the caller leads or administers")
            .ProducesValidationProblem();
        api.MapPost("/{id}/approve", ApproveApplication)
            .WithSummary("Approve a pending application: the applicant becomes a member with a red armband")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/reject", RejectApplication)
            .WithSummary("Reject a pending application with a reason the applicant sees")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/withdraw", WithdrawApplication)
            .WithSummary("Withdraw my pending application")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

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

    private const string ApplicationById = ApplicationColumns + " WHERE a.id = @id";

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

    private const string InsertApplication = """
        INSERT INTO membership_applications
            (user_id, grid_id, real_name, phone_cipher, phone_key_id, phone_masked, id_number_cipher, id_number_key_id,
             id_number_masked, id_number_hmac, address, volunteer_roles, privacy_notice_version, consented_at,
             notify_on_decision, status, open_marker, created_at)
        VALUES
            (@callerId, @gridId, @realName, @phoneCipher, @phoneKeyId, @phoneMasked, @idNumberCipher, @idNumberKeyId,
             @idNumberMasked, @idNumberHmac, @address, @roles, @noticeVersion, @now, @notify, 'Pending', 1, @now);
        SELECT LAST_INSERT_ID();
        """;

    // Locks the application row; the scope predicate decides whether the caller may decide on it.
    private const string LockForDecision = """
        SELECT a.id, a.user_id, a.grid_id, a.status, a.notify_on_decision, (
        """ + Scope.Sees + """
        ) AS allowed
          FROM membership_applications a
          JOIN org_units target ON target.id = a.grid_id
         WHERE a.id = @id
           FOR UPDATE
        """;

    private const string CreateMember = """
        INSERT INTO members
            (user_id, application_id, grid_id, real_name, phone_cipher, phone_key_id, phone_masked, id_number_cipher,
             id_number_key_id, id_number_masked, id_number_hmac, address, volunteer_roles, status, joined_on, joined_at,
             armband_issued_on, armband_issued_by, approved_by, updated_at)
        SELECT a.user_id, a.id, a.grid_id, a.real_name, a.phone_cipher, a.phone_key_id, a.phone_masked, a.id_number_cipher,
               a.id_number_key_id, a.id_number_masked, a.id_number_hmac, a.address, a.volunteer_roles, 'Active', @today, @now,
               @today, @callerId, @callerId, @now
          FROM membership_applications a
         WHERE a.id = @id;
        SELECT LAST_INSERT_ID();
        """;

    private const string NumberMember = """
        UPDATE members SET member_number = CONCAT('M', @year, '-', LPAD(id, 6, '0')) WHERE id = @memberId;
        INSERT INTO member_point_totals (member_id, balance, updated_at) VALUES (@memberId, 0, @now);
        INSERT INTO member_events (member_id, kind, to_grid_id, by_user_id, at)
        VALUES (@memberId, 'Joined', @gridId, @callerId, @now), (@memberId, 'ArmbandIssued', NULL, @callerId, @now);
        """;

    private const string Decide = """
        UPDATE membership_applications
           SET status = @status, open_marker = NULL, decided_by = @callerId, decided_at = @now, decision_reason = @reason
         WHERE id = @id
        """;

    private const string LockOwn = "SELECT status FROM membership_applications WHERE id = @id AND user_id = @callerId FOR UPDATE";

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

    private sealed class LockedApplication
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public long GridId { get; init; }
        public string Status { get; init; } = "";
        public bool NotifyOnDecision { get; init; }
        public bool Allowed { get; init; }
    }

    public static async Task<Results<Created<ApplicationView>, ValidationProblem, ProblemHttpResult>> Apply(
        ApplyRequest request, HttpContext http, MySqlDataSource db, FieldCipher cipher, WeChatClient weChat,
        IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        var realName = request.RealName?.Trim() ?? "";
        if (realName.Length is < 2 or > 50)
        {
            Fail("realName", "Give your real name, 2 to 50 characters.");
        }
        if (IdNumber.Validate(request.IdNumber, time.Today(), out var idNumber, out var birthDate) is { } idProblem)
        {
            Fail("idNumber", idProblem);
        }
        else if (IdNumber.AgeOn(birthDate, time.Today()) < options.Value.MinimumAge)
        {
            Fail("idNumber", $"Members must be at least {options.Value.MinimumAge} years old.");
        }
        var phone = "";
        if (request.PhoneCode is { Length: > 0 } phoneCode)
        {
            try
            {
                phone = (await weChat.GetPhoneNumberAsync(phoneCode, ct)).PurePhoneNumber;
            }
            catch (Exception ex) when (ex is WeChatDataRejectedException or WeChatInvalidCodeException)
            {
                Fail("phoneCode", "WeChat did not confirm this phone number; type it in or try again.");
            }
        }
        else if (PhoneNumber.Validate(request.Phone, out phone) is { } phoneProblem)
        {
            Fail("phone", phoneProblem);
        }
        var address = request.Address?.Trim() ?? "";
        if (address.Length is < 2 or > 200)
        {
            Fail("address", "Give the address of your household, 2 to 200 characters.");
        }
        if (request.VolunteerRoles is not { Count: > 0 } roles || roles.Any(r => !Enum.IsDefined(r)))
        {
            Fail("volunteerRoles", "Choose at least one of the five roles.");
        }
        if (!request.Consent || request.PrivacyNoticeVersion != options.Value.PrivacyNoticeVersion)
        {
            Fail("consent", $"Read and accept the privacy notice, version {options.Value.PrivacyNoticeVersion}.");
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var personal = PersonalData.Seal(cipher, phone, idNumber);
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
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
            return Problems.Invalid("gridId", $"No grid with id {request.GridId}.");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ExistingMembership, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("You, or the holder of this ID number, already are a member.");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(OpenApplications, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("An application for you or this ID number is already waiting for a decision.");
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertApplication, args, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        var view = await connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(ApplicationById, new { id }, cancellationToken: ct));
        return TypedResults.Created($"/api/membership/applications/{id}", view.ToView());
    }

    public static async Task<Ok<IReadOnlyList<ApplicationView>>> GetMyApplications(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ApplicationRow>(new CommandDefinition(MyApplications, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ApplicationView>>(rows.Select(r => r.ToView()).ToList());
    }

    public static async Task<Results<Ok<IReadOnlyList<ApplicationView>>, ValidationProblem>> ListApplications(
        HttpContext http, MySqlDataSource db, CancellationToken ct,
        ApplicationStatus? status = null, long? gridId = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
        {
            return invalid;
        }
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

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> ApproveApplication(
        long id, HttpContext http, MySqlDataSource db, ApplicantNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var today = time.Today();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var application = await connection.QuerySingleOrDefaultAsync<LockedApplication>(
            new CommandDefinition(LockForDecision, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckDecision(application, callerId, id) is { } refused)
        {
            return refused;
        }
        var memberId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CreateMember,
            new { id, callerId, now, today = today.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(NumberMember,
            new { memberId, year = today.Year, gridId = application!.GridId, callerId, now }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = nameof(ApplicationStatus.Approved), callerId, now, reason = (string?)null }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);

        if (application.NotifyOnDecision)
        {
            await notifier.NotifyAsync(application.UserId, approved: true, reason: null, ct);
        }
        return TypedResults.Ok((await connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(ApplicationById, new { id }, cancellationToken: ct))).ToView());
    }

    public static async Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> RejectApplication(
        long id, ReasonRequest request, HttpContext http, MySqlDataSource db, ApplicantNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        if (Problems.CheckReason(request.Reason, message: "Tell the applicant why, in 2 to 200 characters.") is { } badReason)
        {
            return badReason;
        }
        var reason = request.Reason!.Trim();
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var application = await connection.QuerySingleOrDefaultAsync<LockedApplication>(
            new CommandDefinition(LockForDecision, new { id, callerId }, transaction, cancellationToken: ct));
        if (CheckDecision(application, callerId, id) is { } refused)
        {
            return refused;
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = nameof(ApplicationStatus.Rejected), callerId, now = time.DbUtcNow(), reason }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);

        if (application!.NotifyOnDecision)
        {
            await notifier.NotifyAsync(application.UserId, approved: false, reason, ct);
        }
        return TypedResults.Ok((await connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(ApplicationById, new { id }, cancellationToken: ct))).ToView());
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> WithdrawApplication(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LockOwn, new { id, callerId }, transaction, cancellationToken: ct));
        if (status is null)
        {
            return Problems.NotFound("application of yours", id);
        }
        if (status != nameof(ApplicationStatus.Pending))
        {
            return Problems.Conflict($"The application is {status}; only a pending one can be withdrawn.");
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide,
            new { id, status = "Withdrawn", callerId, now = time.DbUtcNow(), reason = (string?)null }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await connection.QuerySingleAsync<ApplicationRow>(new CommandDefinition(ApplicationById, new { id }, cancellationToken: ct))).ToView());
    }

    private static ProblemHttpResult? CheckDecision(LockedApplication? application, long callerId, long id)
    {
        // Outside the caller's grids an application is invisible, exactly like one that does not exist.
        if (application is null || !application.Allowed)
        {
            return Problems.NotFound("application", id);
        }
        if (application.UserId == callerId)
        {
            return Problems.Forbidden("Nobody decides on their own application.");
        }
        return application.Status == nameof(ApplicationStatus.Pending)
            ? null
            : Problems.Conflict($"The application is already {application.Status}.");
    }
}
