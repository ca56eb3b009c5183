using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// Grids and villages compared per quarter, as the ranking job last published them (final quarters never change), and
/// the composite's weights a SubDistrictAdmin sets per year. Staff of the group's unit, above it or in it may read it.
/// </summary>
public static class UnitRankingsApi
{
    public static RouteGroupBuilder MapUnitRankingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/weights/{subDistrictId}/{year}", GetUnitWeights)
            .WithSummary("The composite's weights for a year (the defaults until the sub-district sets its own)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/weights/{subDistrictId}/{year}", SetUnitWeights)
            .WithSummary("Set the composite's weights for a year (SubDistrictAdmin): every measure once, in percent, adding up to 100")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{quarter}/{scope}/{scopeId}", GetUnitRanking)
            .WithSummary("Grids of a village or sub-district, or villages of a sub-district, ranked for a quarter on each measure and the composite")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    // The caller holds a role on the unit or above it, or on a unit inside it (a grid leader sees their village's grids).
    private const string SeesOrWorksInside = "(" + Scope.Sees + """
                OR EXISTS (SELECT 1 FROM role_assignments inner_role JOIN org_units inner_unit ON inner_unit.id = inner_role.org_unit_id
                            WHERE inner_role.user_id = @callerId AND inner_unit.path LIKE CONCAT(target.path, '%')))
        """;

    private const string GroupInScope = "SELECT COUNT(*) FROM org_units target WHERE target.id = @scopeId AND target.kind = @scope AND " + SeesOrWorksInside;

    private const string Entries = """
        SELECT e.unit_id, u.name, e.measure, e.value, e.score, e.weight, e.rank_no
          FROM unit_rank_entries e JOIN org_units u ON u.id = e.unit_id
         WHERE e.run_id = @runId AND e.peer_scope = @scope AND e.peer_id = @scopeId AND e.unit_kind = @units
        """;

    private const string SubDistrictInScope = "SELECT COUNT(*) FROM org_units target WHERE target.id = @subDistrictId AND target.kind = 'SubDistrict' AND ";

    // Everyone on its staff reads the weights their units are assessed by.
    private const string SubDistrictReadable = SubDistrictInScope + SeesOrWorksInside;

    private const string ReadWeights = "SELECT measure, weight FROM unit_ranking_weights WHERE sub_district_id = @subDistrictId AND year = @year";

    private const string UpsertWeight = """
        INSERT INTO unit_ranking_weights (sub_district_id, year, measure, weight, set_by, set_at)
        VALUES (@subDistrictId, @year, @measure, @weight, @callerId, @now)
        ON DUPLICATE KEY UPDATE weight = VALUES(weight), set_by = VALUES(set_by), set_at = VALUES(set_at)
        """;

    private sealed class EntryRow
    {
        public long UnitId { get; init; }
        public string Name { get; init; } = "";
        public string Measure { get; init; } = "";
        public decimal Value { get; init; }
        public decimal Score { get; init; }
        public int Weight { get; init; }
        public int RankNo { get; init; }
    }

    public static async Task<Results<Ok<UnitRankingView>, ValidationProblem, ProblemHttpResult>> GetUnitRanking(
        [Quarter] string quarter, RankingScope scope, long scopeId, HttpContext http, MySqlDataSource db, CancellationToken ct,
        Organisation.OrgUnitKind compare = Organisation.OrgUnitKind.Grid)
    {
        if (Invalid(scope, compare) is { } invalid)
        {
            return invalid;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var (view, problem) = await ReadRankingAsync(connection, quarter, scope, scopeId, compare, http.User.UserId(), ct);
        return view is null ? problem! : TypedResults.Ok(view);
    }

    /// <summary>Grids are ranked within villages and the sub-district, villages within the sub-district.</summary>
    internal static ValidationProblem? Invalid(RankingScope scope, Organisation.OrgUnitKind compare) =>
        scope == RankingScope.Grid ? Problems.Invalid("scope", "unitRankings.scope.grid")
        : compare is not (Organisation.OrgUnitKind.Grid or Organisation.OrgUnitKind.Village) || (scope == RankingScope.Village && compare != Organisation.OrgUnitKind.Grid)
            ? Problems.Invalid("compare", "unitRankings.compare.invalid")
            : null;

    /// <summary>The ranking as published, or the problem: a group out of scope reads as missing, a quarter never ranked as not yet.</summary>
    internal static async Task<(UnitRankingView? View, ProblemHttpResult? Problem)> ReadRankingAsync(MySqlConnection connection, string quarter,
        RankingScope scope, long scopeId, Organisation.OrgUnitKind compare, long callerId, CancellationToken ct)
    {
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(GroupInScope,
                new { scopeId, scope = scope.ToString(), callerId }, cancellationToken: ct)) == 0)
        {
            return (null, Problems.NotFound("org.unit.notFound"));
        }
        var header = await connection.QuerySingleOrDefaultAsync<RankingsApi.QuarterRow>(new CommandDefinition(RankingsApi.QuarterHeader, new { quarter }, cancellationToken: ct));
        if (header is null)
        {
            return (null, Problems.NotFound("rankings.ranking.notYet", quarter));
        }
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(Entries,
            new { runId = header.CurrentRun, scope = scope.ToString(), scopeId, units = compare.ToString() }, cancellationToken: ct));
        var entries = rows.GroupBy(r => (r.UnitId, r.Name)).Select(g =>
        {
            var composite = g.Single(r => r.Measure == nameof(UnitMeasure.Composite));
            return new UnitRankingEntry(g.Key.UnitId, g.Key.Name, composite.RankNo, composite.Value, g.Where(r => r.Measure != nameof(UnitMeasure.Composite))
                .Select(r => new UnitRankPart(Enum.Parse<UnitMeasure>(r.Measure), r.Value, r.Score, r.Weight, r.RankNo)).OrderBy(p => p.Measure).ToList());
        }).OrderBy(e => e.Rank).ThenBy(e => e.UnitId).ToList();
        return (new UnitRankingView(quarter, header.Status, scope, scopeId, compare, header.ComputedAt, entries), null);
    }

    public static async Task<Results<Ok<UnitWeightsView>, ValidationProblem, ProblemHttpResult>> GetUnitWeights(
        long subDistrictId, [Year] int year, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrictReadable,
                new { subDistrictId, callerId = http.User.UserId() }, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        return TypedResults.Ok(await ReadAsync(connection, subDistrictId, year, ct));
    }

    public static async Task<Results<Ok<UnitWeightsView>, ValidationProblem, ProblemHttpResult>> SetUnitWeights(
        long subDistrictId, [Year] int year, UnitWeightsRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrictReadable, new { subDistrictId, callerId }, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrictInScope + Scope.SubDistrictAdminOf, new { subDistrictId, callerId }, cancellationToken: ct)) == 0)
        {
            return Problems.Forbidden("unitRankings.weights.notSubDistrictAdmin");
        }
        var now = time.DbUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(UpsertWeight, request.Weights!.Select(w => new
        {
            subDistrictId, year, measure = w.Measure.ToString(), w.Weight, callerId, now,
        }), transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, subDistrictId, year, ct));
    }

    private static async Task<UnitWeightsView> ReadAsync(MySqlConnection connection, long subDistrictId, int year, CancellationToken ct)
    {
        var set = (await connection.QueryAsync<(string Measure, int Weight)>(new CommandDefinition(ReadWeights, new { subDistrictId, year }, cancellationToken: ct))).ToList();
        var weights = set.Count == 0
            ? UnitMeasures.DefaultWeights.Select(w => new UnitWeight(w.Key, w.Value))
            : set.Select(w => new UnitWeight(Enum.Parse<UnitMeasure>(w.Measure), w.Weight));
        return new UnitWeightsView(subDistrictId, year, set.Count == 0, weights.OrderBy(w => w.Measure).ToList());
    }
}
