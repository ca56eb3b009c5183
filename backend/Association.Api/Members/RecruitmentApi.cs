using Association.Api.Organisation;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// The source's recruitment figures: a yearly recruitment target per unit (standard 10) and member
/// coverage of households per grid and village against the 20% target (standards 2 and 4).
/// </summary>
public static class RecruitmentApi
{
    public const int DefaultCoverageTargetPermille = 200;

    public static RouteGroupBuilder MapRecruitmentApi(this RouteGroupBuilder api)
    {

        api.MapPut("/recruitment-targets/{unitId}/{year}", SetRecruitmentTarget)
            .WithSummary("Set a unit's recruitment target for a year (admins of the unit or above)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/recruitment", GetRecruitment)
            .WithSummary("Members joined in a year against the target, for a unit and the units beneath it")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/coverage-target/{subDistrictId}", SetCoverageTarget)
            .WithSummary("Set the sub-district's coverage target in percent of households (default 20)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/coverage", GetCoverage)
            .WithSummary("Active members per household for a unit, its villages and grids, and the units below target, worst first")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string UpsertTarget = """
        INSERT INTO recruitment_targets (org_unit_id, year, target, set_by, set_at)
        VALUES (@unitId, @year, @target, @callerId, @now)
        ON DUPLICATE KEY UPDATE target = VALUES(target), set_by = VALUES(set_by), set_at = VALUES(set_at)
        """;

    private const string UpsertCoverageTarget = """
        INSERT INTO coverage_targets (sub_district_id, target_permille, set_by, set_at)
        VALUES (@unitId, @permille, @callerId, @now)
        ON DUPLICATE KEY UPDATE target_permille = VALUES(target_permille), set_by = VALUES(set_by), set_at = VALUES(set_at)
        """;

    private const string VisibleSubtree = """
          FROM org_units root
          JOIN org_units target ON target.path LIKE CONCAT(root.path, '%')
         WHERE root.id = @unitId AND target.kind <> 'District' AND
        """ + Scope.Sees;

    private const string Recruitment = """
        SELECT target.id AS unit_id, target.kind, target.code, target.name,
               (SELECT t.target FROM recruitment_targets t WHERE t.org_unit_id = target.id AND t.year = @year) AS target,
               CAST((SELECT COUNT(*) FROM members m JOIN org_units g ON g.id = m.grid_id
                      WHERE g.path LIKE CONCAT(target.path, '%') AND m.joined_on >= @from AND m.joined_on < @until) AS SIGNED) AS joined
        """ + VisibleSubtree + " ORDER BY target.path";

    private const string Coverage = """
        SELECT target.id AS unit_id, target.kind, target.code, target.name,
               CAST((SELECT COALESCE(SUM(g.households), 0) FROM org_units g
                      WHERE g.kind = 'Grid' AND g.path LIKE CONCAT(target.path, '%')) AS SIGNED) AS households,
               CAST((SELECT COUNT(*) FROM members m JOIN org_units g ON g.id = m.grid_id
                      WHERE m.status = 'Active' AND g.path LIKE CONCAT(target.path, '%')) AS SIGNED) AS active_members
        """ + VisibleSubtree + " ORDER BY target.path";

    private const string CoverageTargetOf = """
        SELECT ct.target_permille
          FROM org_units u
          JOIN org_units s ON u.path LIKE CONCAT(s.path, '%') AND s.kind = 'SubDistrict'
          JOIN coverage_targets ct ON ct.sub_district_id = s.id
         WHERE u.id = @unitId
        """;


    private sealed class RecruitmentData
    {
        public long UnitId { get; init; }
        public string Kind { get; init; } = "";
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public int? Target { get; init; }
        public long Joined { get; init; }
    }

    private sealed class CoverageData
    {
        public long UnitId { get; init; }
        public string Kind { get; init; } = "";
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long Households { get; init; }
        public long ActiveMembers { get; init; }
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetRecruitmentTarget(
        long unitId, [Year] int year, RecruitmentTargetRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var access = await UnitAccess.ReadAsync(connection, null, unitId, callerId, ct);
        if (access is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (!access.Administers || access.Kind == nameof(OrgUnitKind.District))
        {
            return Problems.Forbidden("membership.recruitmentTarget.notAdmin");
        }
        await connection.ExecuteAsync(new CommandDefinition(UpsertTarget,
            new { unitId, year, target = request.Target, callerId, now = time.DbUtcNow() }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<RecruitmentRow>>, ValidationProblem, ProblemHttpResult>> GetRecruitment(
        long unitId, [Year] int year, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<RecruitmentData>(new CommandDefinition(Recruitment, new
        {
            unitId,
            callerId = http.User.UserId(),
            year,
            from = new DateTime(year, 1, 1),
            until = new DateTime(year + 1, 1, 1),
        }, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            // Out of the caller's scope reads as missing.
            return Problems.NotFound("org.unit.notFound");
        }
        return TypedResults.Ok<IReadOnlyList<RecruitmentRow>>(rows.Select(r => new RecruitmentRow(
            r.UnitId, Enum.Parse<OrgUnitKind>(r.Kind), r.Code, r.Name, r.Target, r.Joined,
            r.Target is > 0 ? Math.Round(r.Joined * 100m / r.Target.Value, 1) : null)).ToList());
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetCoverageTarget(
        long subDistrictId, CoverageTargetRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var access = await UnitAccess.ReadAsync(connection, null, subDistrictId, callerId, ct);
        if (access is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (access.Kind != nameof(OrgUnitKind.SubDistrict))
        {
            return Problems.Invalid("subDistrictId", "membership.coverageTarget.notSubDistrict");
        }
        if (!access.SubDistrictAdmin)
        {
            return Problems.Forbidden("membership.coverageTarget.notAdmin");
        }
        await connection.ExecuteAsync(new CommandDefinition(UpsertCoverageTarget,
            new { unitId = subDistrictId, permille = request.TargetPercent * 10, callerId, now = time.DbUtcNow() }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<CoverageReport>, ProblemHttpResult>> GetCoverage(
        long unitId, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var report = await ReadCoverageAsync(connection, unitId, http.User.UserId(), ct);
        // Out of the caller's scope reads as missing.
        return report is null ? Problems.NotFound("org.unit.notFound") : TypedResults.Ok(report);
    }

    internal static async Task<CoverageReport?> ReadCoverageAsync(MySqlConnection connection, long unitId, long callerId, CancellationToken ct)
    {
        var data = (await connection.QueryAsync<CoverageData>(new CommandDefinition(Coverage, new { unitId, callerId }, cancellationToken: ct))).ToList();
        if (data.Count == 0)
        {
            return null;
        }
        var permille = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(CoverageTargetOf, new { unitId }, cancellationToken: ct))
                       ?? DefaultCoverageTargetPermille;
        var rows = data.Select(d => ToRow(d, permille)).ToList();
        var villagesAndGrids = rows.Where(r => r.Kind is OrgUnitKind.Village or OrgUnitKind.Grid).ToList();
        return new CoverageReport(
            unitId,
            permille / 10m,
            rows.FirstOrDefault(r => r.UnitId == unitId),
            rows.Where(r => r.Kind == OrgUnitKind.Village).ToList(),
            rows.Where(r => r.Kind == OrgUnitKind.Grid).ToList(),
            villagesAndGrids.Where(r => r.MeetsTarget == false)
                .OrderBy(r => r.ActiveMembers * 1000m / r.Households)
                .ThenByDescending(r => r.Households)
                .ThenBy(r => r.Code, StringComparer.Ordinal)
                .ToList());
    }

    /// <summary>Integer arithmetic decides the target (no rounding surprises); the percentage is for display.</summary>
    private static CoverageRow ToRow(CoverageData d, int targetPermille) => new(
        d.UnitId, Enum.Parse<OrgUnitKind>(d.Kind), d.Code, d.Name, d.Households, d.ActiveMembers,
        d.Households > 0 ? Math.Round(d.ActiveMembers * 100m / d.Households, 1) : null,
        d.Households > 0 ? d.ActiveMembers * 1000 >= d.Households * targetPermille : null);

}
