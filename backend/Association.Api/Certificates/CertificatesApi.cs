using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Certificates;

/// <summary>
/// Service certificates (志愿服务证明): issued by the member for themself or by a role holder over the member's grid,
/// with the figures frozen in our record; downloaded as a PDF (audited when it is not the holder who takes it);
/// revoked by a role holder with a reason. The verification anyone may open is <see cref="CertificateVerifyApi"/>.
/// </summary>
public static class CertificatesApi
{
    public static RouteGroupBuilder MapCertificatesApi(this RouteGroupBuilder api)
    {
        api.MapPost("", IssueCertificate)
            .WithSummary("Issue a certificate of a member's service in a year or a period: the caller's own, or a member in the caller's scope")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("", ListCertificates)
            .WithSummary("Certificates of the caller, or of a member in the caller's scope; newest first")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}", GetCertificate)
            .WithSummary("One certificate with its figures")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/pdf", DownloadCertificatePdf)
            .WithSummary("The certificate as a PDF: the holder's name in full for the holder, masked for staff (audited)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/{id}/revoke", RevokeCertificate)
            .WithSummary("Revoke a certificate with a reason (a role holder over its grid); its verification then says so")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string Holder = """
        SELECT m.id, m.status, m.grid_id, COALESCE(m.user_id = @callerId, FALSE) AS own,
        """ + " " + Scope.Sees + """
         AS sees
          FROM members m JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = COALESCE(@memberId, (SELECT mine.id FROM members mine WHERE mine.user_id = @callerId))
        """;

    private const string Insert = """
        INSERT INTO service_certificates (serial, member_id, grid_id, period_from, period_until, minutes, events_attended, patrols,
                                          points_earned, awards, issued_by, issued_at)
        VALUES (@serial, @memberId, @gridId, @from, @until, @minutes, @eventsAttended, @patrols, @pointsEarned, @awards, @callerId, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string AuditDownload = "INSERT INTO certificate_downloads (certificate_id, by_user_id, at) VALUES (@id, @callerId, @now)";

    private const string Revoke = """
        UPDATE service_certificates SET revoked_by = @callerId, revoked_at = @now, revoke_reason = @reason WHERE id = @id AND revoked_at IS NULL
        """;

    private const string CallerSeesGrid = """
        SELECT COUNT(*) FROM service_certificates c JOIN org_units target ON target.id = c.grid_id WHERE c.id = @id AND
        """ + " " + Scope.Sees;

    private sealed class HolderRow
    {
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public long GridId { get; init; }
        public bool Own { get; init; }
        public bool Sees { get; init; }
    }

    public static async Task<Results<Created<CertificateView>, ValidationProblem, ProblemHttpResult>> IssueCertificate(
        NewCertificateRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, IOptions<CertificateOptions> options,
        CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var today = time.Today();
        var from = request.Year is { } year ? new DateOnly(year, 1, 1) : request.From!.Value;
        var until = request.Year is { } y ? new DateOnly(y, 12, 31) : request.Until!.Value;
        if (until > today)
        {
            until = today;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var holder = await connection.QuerySingleOrDefaultAsync<HolderRow>(new CommandDefinition(Holder,
            new { callerId, request.MemberId }, transaction, cancellationToken: ct));
        if (holder is null || !(holder.Own || holder.Sees))
        {
            return request.MemberId is null ? Problems.NotAMember() : Problems.NotFound("membership.member.notFound");
        }
        if (holder.Status == "Erased")
        {
            return Problems.Conflict("certificates.member.erased");
        }
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var figures = await CertificateFiguresQuery.ReadAsync(connection, transaction, holder.Id, from, until, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            serial = CertificateSerials.New(), memberId = holder.Id, gridId = holder.GridId, from = from.ToDateTime(TimeOnly.MinValue),
            until = until.ToDateTime(TimeOnly.MinValue), figures.Minutes, figures.EventsAttended,
            figures.Patrols, figures.PointsEarned, awards = CertificateFiguresQuery.StoredAwards(figures.Awards), callerId, now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        var row = (await CertificateRows.ReadAsync(connection, transaction, CertificateRows.ById, id, callerId, ct))!;
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/certificates/{id}", row.ToView(options.Value), ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<CertificateView>>, ValidationProblem, ProblemHttpResult>> ListCertificates(
        HttpContext http, MySqlDataSource db, IOptions<CertificateOptions> options, CancellationToken ct, long? memberId = null,
        [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var holder = await connection.QuerySingleOrDefaultAsync<HolderRow>(new CommandDefinition(Holder, new { callerId, memberId }, cancellationToken: ct));
        if (holder is null || !(holder.Own || holder.Sees))
        {
            return memberId is null ? Problems.NotAMember() : Problems.NotFound("membership.member.notFound");
        }
        var rows = await connection.QueryAsync<CertificateRows.CertificateRow>(new CommandDefinition(CertificateRows.OfMember, new
        {
            callerId, memberId = holder.Id, limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<CertificateView>>(rows.Select(r => r.ToView(options.Value)).ToList());
    }

    public static async Task<Results<Ok<CertificateView>, ProblemHttpResult>> GetCertificate(
        long id, HttpContext http, MySqlDataSource db, IOptions<CertificateOptions> options, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await CertificateRows.ReadAsync(connection, null, CertificateRows.ById, id, http.User.UserId(), ct) is { } row
            ? TypedResults.Ok(row.ToView(options.Value))
            : Problems.NotFound("certificates.certificate.notFound");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadCertificatePdf(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CertificateFont font, IOptions<CertificateOptions> options,
        CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await CertificateRows.ReadAsync(connection, null, CertificateRows.ById, id, callerId, ct);
        if (row is null)
        {
            return Problems.NotFound("certificates.certificate.notFound");
        }
        if (row.RevokedAt is not null)
        {
            return Problems.Conflict("certificates.certificate.revoked");
        }
        if (font.Typeface is not { } typeface)
        {
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "certificates.font.missing");
        }
        var pdf = CertificatePdf.Render(row.ToDocument(options.Value), typeface);
        if (!row.Own)
        {
            await connection.ExecuteAsync(new CommandDefinition(AuditDownload, new { id, callerId, now = time.DbUtcNow() }, cancellationToken: ct));
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(pdf, "application/pdf", $"certificate-{CertificateSerials.Printed(row.Serial)}.pdf");
    }

    public static async Task<Results<Ok<CertificateView>, ValidationProblem, ProblemHttpResult>> RevokeCertificate(
        long id, RevokeCertificateRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, IOptions<CertificateOptions> options,
        CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await CertificateRows.ReadAsync(connection, transaction, CertificateRows.ByIdForUpdate, id, callerId, ct);
        if (row is null)
        {
            return Problems.NotFound("certificates.certificate.notFound");
        }
        // The holder reads their certificate but does not hold a role over it: theirs to download, not to revoke.
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(CallerSeesGrid, new { id, callerId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Forbidden("certificates.revoke.notStaff");
        }
        if (row.RevokedAt is not null)
        {
            return Problems.Conflict("certificates.certificate.revoked");
        }
        await connection.ExecuteAsync(new CommandDefinition(Revoke, new { id, callerId, now = time.DbUtcNow(), reason = request.Reason!.Trim() },
            transaction, cancellationToken: ct));
        var revoked = (await CertificateRows.ReadAsync(connection, transaction, CertificateRows.ById, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(revoked.ToView(options.Value));
    }
}
