using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Organisation;

public static class OrganisationApi
{
    public static RouteGroupBuilder MapOrganisationApi(this RouteGroupBuilder api)
    {

        api.MapGet("/tree", GetOrgTree)
            .WithSummary("The organisation tree, or the subtree under one unit, with households added up per unit")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/units/{id}", GetOrgUnit)
            .WithSummary("One unit of the organisation tree")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/units/{id}/children", GetOrgUnitChildren)
            .WithSummary("The units directly beneath one unit")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string UnitColumns = """
        SELECT u.id, u.parent_id, u.kind, u.code, u.name,
               (SELECT CAST(COALESCE(SUM(g.households), 0) AS SIGNED) FROM org_units g
                 WHERE g.kind = 'Grid' AND g.path LIKE CONCAT(u.path, '%')) AS households,
               (SELECT CAST(COUNT(*) AS SIGNED) FROM org_units c WHERE c.parent_id = u.id) AS child_count
          FROM org_units u
        """;

    internal const string UnitById = UnitColumns + " WHERE u.id = @id";

    private const string ChildrenOf = UnitColumns + " WHERE u.parent_id = @id ORDER BY u.code";

    private const string Subtree = """
        SELECT u.id, u.parent_id, u.kind, u.code, u.name, u.households
          FROM org_units u
          JOIN org_units r ON u.path LIKE CONCAT(r.path, '%')
         WHERE (@rootId IS NULL AND r.parent_id IS NULL) OR r.id = @rootId
         ORDER BY u.path
        """;

    public static async Task<Results<Ok<IReadOnlyList<OrgTreeNode>>, ProblemHttpResult>> GetOrgTree(
        MySqlDataSource db, CancellationToken ct, long? rootId = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<OrgTreeRow>(new CommandDefinition(Subtree, new { rootId }, cancellationToken: ct))).AsList();
        if (rootId is not null && rows.Count == 0)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        return TypedResults.Ok(OrgTreeBuilder.Build(rows));
    }

    public static async Task<Results<Ok<OrgUnit>, ProblemHttpResult>> GetOrgUnit(long id, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var unit = await connection.QuerySingleOrDefaultAsync<OrgUnit>(new CommandDefinition(UnitById, new { id }, cancellationToken: ct));
        return unit is null ? Problems.NotFound("org.unit.notFound") : TypedResults.Ok(unit);
    }

    public static async Task<Results<Ok<IReadOnlyList<OrgUnit>>, ProblemHttpResult>> GetOrgUnitChildren(
        long id, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var parent = await connection.QuerySingleOrDefaultAsync<OrgUnit>(new CommandDefinition(UnitById, new { id }, cancellationToken: ct));
        if (parent is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        var children = await connection.QueryAsync<OrgUnit>(new CommandDefinition(ChildrenOf, new { id }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<OrgUnit>>(children.AsList());
    }
}
