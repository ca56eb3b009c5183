using System.Text.RegularExpressions;
using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Insurance;

/// <summary>
/// Insurance purchases: a village or sub-district admin records a policy bought by their unit and the
/// active members of that unit it covers, and adds members later by endorsement. Overlapping cover is
/// allowed and reported.
/// </summary>
public static partial class InsuranceApi
{
    public const int MaxMembersPerRequest = 5000;

    public static RouteGroupBuilder MapInsuranceApi(this RouteGroupBuilder api)
    {

        api.MapPost("", RecordPolicy)
            .WithSummary("Record a public-security insurance purchase and the members it covers")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/endorsements", EndorsePolicy)
            .WithSummary("Add members to a policy from a date (endorsement)")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("", ListPolicies)
            .WithSummary("Policies bought by units in the caller's scope, newest first");

        return api;
    }

    private const string EligibleMembers = """
        SELECT m.id FROM members m
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units u ON u.id = @unitId
         WHERE m.id IN @ids AND m.status = 'Active' AND g.path LIKE CONCAT(u.path, '%')
        """;

    private const string SameNumber = "SELECT COUNT(*) FROM insurance_policies WHERE insurer = @insurer AND policy_number = @policyNumber";

    private const string InsertPolicy = """
        INSERT INTO insurance_policies (insurer, policy_number, unit_id, coverage_start, coverage_end, premium_per_person_cents, created_by, created_at)
        VALUES (@insurer, @policyNumber, @unitId, @start, @end, @cents, @callerId, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Cover = """
        INSERT INTO insurance_coverages (policy_id, member_id, kind, covered_from, added_by, added_at)
        VALUES (@policyId, @memberId, @kind, @from, @callerId, @now)
        ON DUPLICATE KEY UPDATE id = id
        """;

    private const string PolicyAccess = """
        SELECT p.id, p.unit_id, p.coverage_start, p.coverage_end, (
        """ + Scope.Administers + """
        ) AS allowed
          FROM insurance_policies p JOIN org_units target ON target.id = p.unit_id
         WHERE p.id = @id
           FOR UPDATE
        """;

    internal const string PolicyColumns = """
        SELECT p.id, p.insurer, p.policy_number, p.unit_id, p.coverage_start, p.coverage_end, p.premium_per_person_cents,
               (SELECT COUNT(*) FROM insurance_coverages c WHERE c.policy_id = p.id) AS members_covered
          FROM insurance_policies p
          JOIN org_units target ON target.id = p.unit_id
        """;

    private const string PolicyById = PolicyColumns + " WHERE p.id = @id";

    private const string PoliciesInScope = PolicyColumns + " WHERE " + Scope.Sees + " ORDER BY p.id DESC LIMIT 500";

    // Members of this policy whom another policy covers for part of the same period.
    private const string Overlaps = """
        SELECT DISTINCT c.member_id
          FROM insurance_coverages c
          JOIN insurance_policies p ON p.id = c.policy_id
          JOIN insurance_coverages oc ON oc.member_id = c.member_id AND oc.policy_id <> c.policy_id
          JOIN insurance_policies op ON op.id = oc.policy_id
         WHERE c.policy_id = @id AND op.coverage_start <= p.coverage_end AND op.coverage_end >= p.coverage_start
         ORDER BY c.member_id
        """;

    internal sealed class PolicyRow
    {
        public long Id { get; init; }
        public string Insurer { get; init; } = "";
        public string PolicyNumber { get; init; } = "";
        public long UnitId { get; init; }
        public DateTime CoverageStart { get; init; }
        public DateTime CoverageEnd { get; init; }
        public int PremiumPerPersonCents { get; init; }
        public long MembersCovered { get; init; }

        public PolicyView ToView(IReadOnlyList<long>? overlaps) => new(Id, Insurer, PolicyNumber, UnitId, DateOnly.FromDateTime(CoverageStart),
            DateOnly.FromDateTime(CoverageEnd), PremiumPerPersonCents / 100m, MembersCovered, overlaps);
    }

    private sealed class PolicyAccessRow
    {
        public long Id { get; init; }
        public long UnitId { get; init; }
        public DateTime CoverageStart { get; init; }
        public DateTime CoverageEnd { get; init; }
        public bool Allowed { get; init; }
    }

    public static async Task<Results<Created<PolicyView>, ValidationProblem, ProblemHttpResult>> RecordPolicy(
        NewPolicyRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var memberIds = (request.MemberIds ?? []).Distinct().ToList();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var unit = await UnitAccess.ReadAsync(connection, transaction, request.UnitId, callerId, ct);
        if (unit is null || unit.Kind == nameof(OrgUnitKind.District))
        {
            return Problems.Invalid("unitId", "org.unit.notFound");
        }
        if (!unit.Administers)
        {
            return Problems.Forbidden("insurance.policy.notAdmin");
        }
        if (await CheckMembersAsync(connection, transaction, request.UnitId, memberIds, ct) is { } badMembers)
        {
            return badMembers;
        }
        var insurer = request.Insurer!.Trim();
        var policyNumber = request.PolicyNumber!.Trim();
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(SameNumber, new { insurer, policyNumber }, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("insurance.policy.duplicate", insurer, policyNumber);
        }
        var policyId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertPolicy, new
        {
            insurer, policyNumber, request.UnitId, start = At(request.CoverageStart), end = At(request.CoverageEnd),
            cents = (int)(request.PremiumPerPerson * 100), callerId, now,
        }, transaction, cancellationToken: ct));
        foreach (var memberId in memberIds)
        {
            await connection.ExecuteAsync(new CommandDefinition(Cover,
                new { policyId, memberId, kind = "Purchase", from = At(request.CoverageStart), callerId, now }, transaction, cancellationToken: ct));
        }
        await InsuranceNotices.TellCoveredAsync(connection, transaction, policyId, now, ct);
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/insurance/policies/{policyId}",
            await ReadAsync(connection, transaction, policyId, ct), ct);
    }

    public static async Task<Results<Ok<PolicyView>, ValidationProblem, ProblemHttpResult>> EndorsePolicy(
        long id, EndorsementRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var memberIds = request.MemberIds!.Distinct().ToList();
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var policy = await connection.QuerySingleOrDefaultAsync<PolicyAccessRow>(new CommandDefinition(PolicyAccess, new { id, callerId }, transaction, cancellationToken: ct));
        if (policy is null || !policy.Allowed)
        {
            return Problems.NotFound("insurance.policy.notFound");
        }
        var start = DateOnly.FromDateTime(policy.CoverageStart);
        var from = request.CoveredFrom ?? (time.Today() > start ? time.Today() : start);
        if (from < start || from > DateOnly.FromDateTime(policy.CoverageEnd))
        {
            return Problems.Invalid("coveredFrom", "insurance.coveredFrom.outsidePolicy");
        }
        if (await CheckMembersAsync(connection, transaction, policy.UnitId, memberIds, ct) is { } badMembers)
        {
            return badMembers;
        }
        foreach (var memberId in memberIds)
        {
            await connection.ExecuteAsync(new CommandDefinition(Cover,
                new { policyId = id, memberId, kind = "Endorsement", from = At(from), callerId, now }, transaction, cancellationToken: ct));
        }
        await InsuranceNotices.TellCoveredAsync(connection, transaction, id, now, ct);
        return await IdempotentWrite.CommitOkAsync(http, connection, transaction, await ReadAsync(connection, transaction, id, ct), ct);
    }

    public static async Task<Ok<IReadOnlyList<PolicyView>>> ListPolicies(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PolicyRow>(new CommandDefinition(PoliciesInScope, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<PolicyView>>(rows.Select(r => r.ToView(null)).ToList());
    }

    private static async Task<PolicyView> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long id, CancellationToken ct)
    {
        var row = await connection.QuerySingleAsync<PolicyRow>(new CommandDefinition(PolicyById, new { id }, transaction, cancellationToken: ct));
        var overlaps = await connection.QueryAsync<long>(new CommandDefinition(Overlaps, new { id }, transaction, cancellationToken: ct));
        return row.ToView(overlaps.ToList());
    }

    /// <summary>Every named member must be active and belong to the buying unit's part of the tree.</summary>
    private static async Task<ValidationProblem?> CheckMembersAsync(MySqlConnection connection, MySqlTransaction transaction,
        long unitId, List<long> memberIds, CancellationToken ct)
    {
        if (memberIds.Count == 0)
        {
            return null;
        }
        var eligible = (await connection.QueryAsync<long>(new CommandDefinition(EligibleMembers, new { unitId, ids = memberIds }, transaction, cancellationToken: ct))).ToHashSet();
        var refused = memberIds.Where(m => !eligible.Contains(m)).ToList();
        return refused.Count == 0
            ? null
            : Problems.Invalid("memberIds", "insurance.members.notEligible", string.Join("、", refused.Take(20)));
    }

    internal static DateTime At(DateOnly day) => day.ToDateTime(TimeOnly.MinValue);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{1,63}$")]
    internal static partial Regex PolicyNumberPattern();
}
