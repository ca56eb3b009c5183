using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Insurance;

/// <summary>Who is covered: per member, the gaps a unit must close, the figures, and the daily job's notices.</summary>
public static class InsuranceCoverageApi
{
    public static RouteGroupBuilder MapInsuranceCoverageApi(this RouteGroupBuilder api)
    {

        api.MapGet("/me", GetMyCoverage).WithSummary("Am I insured today, by which policy, until when")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/me/consent", SetInsurerConsent)
            .WithSummary("Give or withdraw my consent to share my full name and ID number with the insurer")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/members/{memberId}", GetMemberCoverage).WithSummary("A member's cover today (leaders and admins of the member's grid)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/gaps", GetCoverageGaps)
            .WithSummary("Active members without cover (with days waited since approval) and policies ending soon, in a unit")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/figures", GetInsuranceFigures)
            .WithSummary("Insured share of active members per unit, and the average days from approval to cover")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/notices", ListAdminNotices)
            .WithSummary("Notices of the daily insurance check for the caller's units, newest first");

        return api;
    }

    private const string CoverageOfMember = """
        SELECT m.id AS member_id, p.id AS policy_id, p.insurer, p.policy_number, p.coverage_end
          FROM members m
          LEFT JOIN insurance_coverages c ON c.member_id = m.id AND c.covered_from <= @day
          LEFT JOIN insurance_policies p ON p.id = c.policy_id AND p.coverage_start <= @day AND p.coverage_end >= @day
         WHERE m.id = @memberId
         ORDER BY p.coverage_end IS NULL, p.coverage_end DESC
         LIMIT 1
        """;

    private const string MemberVisible = """
        SELECT COUNT(*) FROM members m JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = @memberId AND (m.user_id = @callerId OR
        """ + Scope.Sees + ")";

    private const string MyMember = "SELECT id FROM members WHERE user_id = @callerId";

    private const string SetConsent = """
        UPDATE members SET insurer_sharing_consent = @consent, insurer_sharing_consented_at = CASE WHEN @consent THEN @now ELSE NULL END,
               updated_at = @now
         WHERE user_id = @callerId
        """;

    private const string UnitExists = "SELECT COUNT(*) FROM org_units WHERE id = @unitId";

    private const string Uncovered = """
        SELECT m.id AS member_id, m.member_number, m.real_name, m.grid_id, m.joined_on
          FROM org_units root
          JOIN org_units target ON target.path LIKE CONCAT(root.path, '%') AND target.kind = 'Grid'
          JOIN members m ON m.grid_id = target.id
         WHERE root.id = @unitId AND m.status = 'Active' AND NOT
        """ + InsuranceSql.CoveredOn + " AND " + Scope.Sees + " ORDER BY m.joined_on, m.id LIMIT 2000";

    private const string Expiring = InsuranceApi.PolicyColumns + """
          JOIN org_units root ON root.id = @unitId
         WHERE (target.path LIKE CONCAT(root.path, '%') OR root.path LIKE CONCAT(target.path, '%'))
           AND p.coverage_end >= @day AND p.coverage_end <= @until AND
        """ + Scope.Sees + " ORDER BY p.coverage_end";

    private const string Figures = """
        SELECT target.id AS unit_id, target.kind, target.code, target.name,
               CAST((SELECT COUNT(*) FROM members m JOIN org_units g ON g.id = m.grid_id
                      WHERE m.status = 'Active' AND g.path LIKE CONCAT(target.path, '%')) AS SIGNED) AS active_members,
               CAST((SELECT COUNT(*) FROM members m JOIN org_units g ON g.id = m.grid_id
                      WHERE m.status = 'Active' AND g.path LIKE CONCAT(target.path, '%') AND
        """ + InsuranceSql.CoveredOn + """
                   ) AS SIGNED) AS covered
          FROM org_units root
          JOIN org_units target ON target.path LIKE CONCAT(root.path, '%')
         WHERE root.id = @unitId AND target.kind <> 'District' AND
        """ + Scope.Sees + " ORDER BY target.path";

    // Days from approval to the first day of cover, over members in the unit who got covered.
    private const string AverageDaysToCover = """
        SELECT AVG(DATEDIFF(first_cover.covered_from, m.joined_on))
          FROM (SELECT c.member_id, MIN(GREATEST(c.covered_from, p.coverage_start)) AS covered_from
                  FROM insurance_coverages c JOIN insurance_policies p ON p.id = c.policy_id GROUP BY c.member_id) first_cover
          JOIN members m ON m.id = first_cover.member_id
          JOIN org_units target ON target.id = m.grid_id
          JOIN org_units root ON root.id = @unitId
         WHERE target.path LIKE CONCAT(root.path, '%') AND first_cover.covered_from >= m.joined_on AND
        """ + Scope.Sees;

    private const string Notices = """
        SELECT n.id, n.unit_id, n.kind, n.subject_id, n.notice_day, n.message
          FROM admin_notices n JOIN org_units target ON target.id = n.unit_id
         WHERE
        """ + Scope.Sees + " ORDER BY n.notice_day DESC, n.id DESC LIMIT 500";

    private sealed class CoverageRow
    {
        public long MemberId { get; init; }
        public long? PolicyId { get; init; }
        public string? Insurer { get; init; }
        public string? PolicyNumber { get; init; }
        public DateTime? CoverageEnd { get; init; }

        public MemberCoverage ToCoverage() => new(MemberId, PolicyId is not null, PolicyId, Insurer, PolicyNumber,
            CoverageEnd is { } end ? DateOnly.FromDateTime(end) : null);
    }

    private sealed class UncoveredRow
    {
        public long MemberId { get; init; }
        public string? MemberNumber { get; init; }
        public string? RealName { get; init; }
        public long GridId { get; init; }
        public DateTime JoinedOn { get; init; }
    }

    private sealed record FigureRow(long UnitId, string Kind, string Code, string Name, long ActiveMembers, long Covered);

    private sealed class NoticeRow
    {
        public long Id { get; init; }
        public long UnitId { get; init; }
        public string Kind { get; init; } = "";
        public long SubjectId { get; init; }
        public DateTime NoticeDay { get; init; }
        public string Message { get; init; } = "";
    }

    public static async Task<Results<Ok<MemberCoverage>, ProblemHttpResult>> GetMyCoverage(HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var memberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MyMember, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return memberId is null
            ? Problems.NotAMember()
            : TypedResults.Ok(await CoverageAsync(connection, memberId.Value, time.Today(), ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SetInsurerConsent(
        ConsentRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(SetConsent,
            new { consent = request.Consent, callerId = http.User.UserId(), now = time.DbUtcNow() }, cancellationToken: ct));
        return changed == 0
            ? Problems.NotAMember()
            : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MemberCoverage>, ProblemHttpResult>> GetMemberCoverage(
        long memberId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(MemberVisible, new { memberId, callerId = http.User.UserId() }, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("membership.member.notFound");
        }
        return TypedResults.Ok(await CoverageAsync(connection, memberId, time.Today(), ct));
    }

    public static async Task<Results<Ok<CoverageGaps>, ProblemHttpResult>> GetCoverageGaps(
        long unitId, HttpContext http, MySqlDataSource db, IOptions<InsuranceOptions> options, TimeProvider time, CancellationToken ct)
    {
        var today = time.Today();
        var args = new
        {
            unitId, callerId = http.User.UserId(), day = InsuranceApi.At(today), until = InsuranceApi.At(today.AddDays(options.Value.ExpiryWarningDays)),
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(UnitExists, args, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        var uncovered = (await connection.QueryAsync<UncoveredRow>(new CommandDefinition(Uncovered, args, cancellationToken: ct)))
            .Select(r =>
            {
                var waited = today.DayNumber - DateOnly.FromDateTime(r.JoinedOn).DayNumber;
                return new UncoveredMember(r.MemberId, r.MemberNumber, r.RealName, r.GridId, DateOnly.FromDateTime(r.JoinedOn), waited, waited > options.Value.CoverWithinDays);
            }).ToList();
        var expiring = await connection.QueryAsync<InsuranceApi.PolicyRow>(new CommandDefinition(Expiring, args, cancellationToken: ct));
        return TypedResults.Ok(new CoverageGaps(uncovered, uncovered.Where(u => u.Overdue).OrderByDescending(u => u.DaysWaited).ToList(),
            expiring.Select(p => p.ToView(null)).ToList()));
    }

    public static async Task<Results<Ok<InsuranceFigures>, ProblemHttpResult>> GetInsuranceFigures(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var args = new { unitId, callerId = http.User.UserId(), day = InsuranceApi.At(time.Today()) };
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<FigureRow>(new CommandDefinition(Figures, args, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        var average = await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(AverageDaysToCover, args, cancellationToken: ct));
        return TypedResults.Ok(new InsuranceFigures(
            rows.Select(r => new InsuranceFigure(r.UnitId, r.Kind, r.Code, r.Name, r.ActiveMembers, r.Covered,
                r.ActiveMembers > 0 ? Math.Round(r.Covered * 100m / r.ActiveMembers, 1) : null)).ToList(),
            average is { } days ? Math.Round(days, 1) : null));
    }

    public static async Task<Ok<IReadOnlyList<AdminNotice>>> ListAdminNotices(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<NoticeRow>(new CommandDefinition(Notices, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<AdminNotice>>(rows.Select(n => new AdminNotice(n.Id, n.UnitId, n.Kind, n.SubjectId, DateOnly.FromDateTime(n.NoticeDay), n.Message)).ToList());
    }

    private static async Task<MemberCoverage> CoverageAsync(MySqlConnection connection, long memberId, DateOnly day, CancellationToken ct) =>
        (await connection.QuerySingleAsync<CoverageRow>(new CommandDefinition(CoverageOfMember, new { memberId, day = InsuranceApi.At(day) }, cancellationToken: ct))).ToCoverage();
}
