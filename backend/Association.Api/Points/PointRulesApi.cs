using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>The sub-district's points rules. A change is a new version from a date on (today or later), never an edit.</summary>
public static class PointRulesApi
{
    public static RouteGroupBuilder MapPointRulesApi(this RouteGroupBuilder api)
    {

        api.MapGet("", ListPointRules)
            .WithSummary("Every version of the points rules of a sub-district, newest first per kind of work");
        api.MapPost("", CreatePointRuleVersion)
            .WithSummary("Add a version of the rule for one kind of work, in force from a date (SubDistrictAdmin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private const string RulesOf = """
        SELECT id, sub_district_id, work_kind, version, points_per_unit, daily_cap, quarterly_cap, effective_from
          FROM point_rules WHERE sub_district_id = @subDistrictId
         ORDER BY work_kind, version DESC
        """;

    private const string InsertVersion = """
        INSERT INTO point_rules (sub_district_id, work_kind, version, points_per_unit, daily_cap, quarterly_cap, effective_from, created_by, created_at)
        SELECT @subDistrictId, @workKind, COALESCE(MAX(version), 0) + 1, @pointsPerUnit, @dailyCap, @quarterlyCap, @effectiveFrom, @callerId, @now
          FROM point_rules WHERE sub_district_id = @subDistrictId AND work_kind = @workKind;
        SELECT LAST_INSERT_ID();
        """;

    private const string RuleById = """
        SELECT id, sub_district_id, work_kind, version, points_per_unit, daily_cap, quarterly_cap, effective_from FROM point_rules WHERE id = @id
        """;

    internal sealed class RuleRow
    {
        public long Id { get; init; }
        public long SubDistrictId { get; init; }
        public string WorkKind { get; init; } = "";
        public int Version { get; init; }
        public int PointsPerUnit { get; init; }
        public int? DailyCap { get; init; }
        public int? QuarterlyCap { get; init; }
        public DateTime EffectiveFrom { get; init; }

        public PointRule ToRule() => new(Id, SubDistrictId, Enum.Parse<WorkKind>(WorkKind), Version, PointsPerUnit, DailyCap, QuarterlyCap,
            DateOnly.FromDateTime(EffectiveFrom));
    }

    public static async Task<Ok<IReadOnlyList<PointRule>>> ListPointRules(long subDistrictId, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition(RulesOf, new { subDistrictId }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<PointRule>>(rows.Select(r => r.ToRule()).ToList());
    }

    public static async Task<Results<Created<PointRule>, ValidationProblem, ProblemHttpResult>> CreatePointRuleVersion(
        NewRuleRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var access = await UnitAccess.ReadAsync(connection, transaction, request.SubDistrictId, callerId, ct);
        if (access is null || access.Kind != nameof(OrgUnitKind.SubDistrict))
        {
            return Problems.Invalid("subDistrictId", "org.subDistrict.notFound");
        }
        if (!access.SubDistrictAdmin)
        {
            return Problems.Forbidden("points.rules.notAdmin");
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertVersion, new
        {
            request.SubDistrictId,
            workKind = request.WorkKind.ToString(),
            request.PointsPerUnit,
            request.DailyCap,
            request.QuarterlyCap,
            effectiveFrom = request.EffectiveFrom.ToDateTime(TimeOnly.MinValue),
            callerId,
            now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        var rule = await connection.QuerySingleAsync<RuleRow>(new CommandDefinition(RuleById, new { id }, cancellationToken: ct));
        return TypedResults.Created($"/api/points/rules?subDistrictId={request.SubDistrictId}", rule.ToRule());
    }
}
