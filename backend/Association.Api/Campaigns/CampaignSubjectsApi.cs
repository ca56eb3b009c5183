using Association.Api.Members;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <param name="UnitId">The grid (a household's) or the grid or village (an establishment's) it belongs to.</param>
/// <param name="Name">An establishment's name; households have none (they are named by their contact's family name).</param>
public sealed record NewSubjectRequest(long UnitId, SubjectKind? Kind, string? Name, string? Address, string? ContactName, string? ContactPhone)
    : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(UnitId, "unitId", 1, long.MaxValue, "org.unit.notFound");
        rules.Defined(Kind, "kind");
        if (Kind is not SubjectKind.Household)
        {
            rules.Text(Name, "name", 2, 100);
        }
        rules.Text(Address, "address", 4, 200);
        rules.Text(ContactName, "contactName", 2, 50);
        if (PhoneNumber.Validate(ContactPhone, out _) is { } code)
        {
            rules.Fail("contactPhone", code);
        }
    }
}

/// <param name="Name">The establishment's name, or the household's as boards show it (张*家).</param>
public sealed record SubjectView(long Id, long UnitId, string UnitName, SubjectKind Kind, string Name, string AddressMasked, string ContactMasked,
    string PhoneMasked, DateTime CreatedAt);

/// <summary>
/// Households (平安家庭) and establishments (驻辖区单位) that may be nominated, registered to a grid or village by its staff.
/// Address, contact and phone are stored as ciphertext and only ever answered masked.
/// </summary>
public static class CampaignSubjectsApi
{
    public const string AddressContext = "campaign_subjects.address", ContactContext = "campaign_subjects.contact", PhoneContext = "campaign_subjects.phone";

    public static RouteGroupBuilder MapCampaignSubjectsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", RegisterSubject)
            .WithSummary("Register a household or an establishment in a grid or village (its staff)")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("", ListSubjects)
            .WithSummary("Registered households and establishments in the caller's units, masked")
            .ProducesValidationProblem();
        api.MapGet("/{subjectId}", GetSubject)
            .WithSummary("One registered household or establishment, masked")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The caller works for <c>target</c>: a grid leader, village or sub-district admin on it or above (not the district).</summary>
    internal const string ActsFor = """
        (EXISTS (SELECT 1 FROM role_assignments act_role JOIN org_units act_unit ON act_unit.id = act_role.org_unit_id
                 WHERE act_role.user_id = @callerId AND act_role.role <> 'DistrictAdmin' AND target.path LIKE CONCAT(act_unit.path, '%')))
        """;

    private const string Unit = "SELECT target.kind FROM org_units target WHERE target.id = @unitId AND " + ActsFor;

    private const string Insert = """
        INSERT INTO campaign_subjects (unit_id, kind, name, address_cipher, address_key_id, address_masked, contact_cipher, contact_key_id,
               contact_masked, phone_cipher, phone_key_id, phone_masked, created_by, created_at, updated_at)
        VALUES (@unitId, @kind, @name, @addressCipher, @addressKeyId, @addressMasked, @contactCipher, @contactKeyId, @contactMasked,
                @phoneCipher, @phoneKeyId, @phoneMasked, @callerId, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Columns = """
        SELECT s.id, s.unit_id, target.name AS unit_name, s.kind, s.name, s.address_masked, s.contact_masked, s.phone_masked, s.created_at
          FROM campaign_subjects s JOIN org_units target ON target.id = s.unit_id
        """;

    internal const string ById = Columns + " WHERE s.id = @subjectId AND " + Scope.Sees;

    private const string Page = Columns + """
         WHERE (@unitId IS NULL OR target.path LIKE CONCAT((SELECT path FROM org_units WHERE id = @unitId), '%'))
           AND (@kind IS NULL OR s.kind = @kind) AND
        """ + " " + Scope.Sees + " ORDER BY target.path, s.id LIMIT @limit OFFSET @offset";

    internal sealed class SubjectRow
    {
        public long Id { get; init; }
        public long UnitId { get; init; }
        public string UnitName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Name { get; init; }
        public string AddressMasked { get; init; } = "";
        public string ContactMasked { get; init; } = "";
        public string PhoneMasked { get; init; } = "";
        public DateTime CreatedAt { get; init; }

        public string DisplayName => Name ?? ContactMasked[..1] + "*家";

        public SubjectView View() => new(Id, UnitId, UnitName, Enum.Parse<SubjectKind>(Kind), DisplayName, AddressMasked, ContactMasked, PhoneMasked,
            CreatedAt);
    }

    /// <summary>The road or village part of an address stays readable; the house number does not.</summary>
    public static string MaskAddress(string address) => address[..Math.Min(6, address.Length / 2)] + "****";

    public static async Task<Results<Created<SubjectView>, ValidationProblem, ProblemHttpResult>> RegisterSubject(NewSubjectRequest request,
        HttpContext http, MySqlDataSource db, FieldCipher cipher, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Claimed first: a retry of a write that committed gets its answer back, whatever the write changed since.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var kind = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Unit, new { request.UnitId, callerId }, transaction,
            cancellationToken: ct));
        if (kind is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (!(kind == "Grid" || (kind == "Village" && request.Kind != SubjectKind.Household)))
        {
            return Problems.Invalid("unitId", request.Kind == SubjectKind.Household ? "campaigns.subject.householdGrid" : "campaigns.subject.unitKind");
        }
        PhoneNumber.Validate(request.ContactPhone, out var phone);
        var address = cipher.Encrypt(request.Address!.Trim(), AddressContext);
        var contact = cipher.Encrypt(request.ContactName!.Trim(), ContactContext);
        var sealedPhone = cipher.Encrypt(phone, PhoneContext);
        var subjectId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            request.UnitId, kind = request.Kind!.Value.ToString(), name = request.Kind == SubjectKind.Household ? null : request.Name!.Trim(),
            addressCipher = address.Cipher, addressKeyId = address.KeyId, addressMasked = MaskAddress(request.Address.Trim()),
            contactCipher = contact.Cipher, contactKeyId = contact.KeyId, contactMasked = MemberNames.Masked(request.ContactName.Trim()),
            phoneCipher = sealedPhone.Cipher, phoneKeyId = sealedPhone.KeyId, phoneMasked = PhoneNumber.Mask(phone),
            callerId, now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        var row = await connection.QuerySingleAsync<SubjectRow>(new CommandDefinition(ById, new { subjectId, callerId }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/campaign-subjects/{subjectId}", row.View(), ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<SubjectView>>, ValidationProblem>> ListSubjects(HttpContext http, MySqlDataSource db,
        CancellationToken ct, long? unitId = null, SubjectKind? kind = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SubjectRow>(new CommandDefinition(Page, new
        {
            callerId = http.User.UserId(), unitId, kind = kind?.ToString(), limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<SubjectView>>(rows.Select(r => r.View()).ToList());
    }

    public static async Task<Results<Ok<SubjectView>, ProblemHttpResult>> GetSubject(long subjectId, HttpContext http, MySqlDataSource db,
        CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SubjectRow>(new CommandDefinition(ById, new { subjectId, callerId = http.User.UserId() },
            cancellationToken: ct));
        return row is null ? Problems.NotFound("campaigns.subject.notFound") : TypedResults.Ok(row.View());
    }
}
