using System.Text.RegularExpressions;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Organisation;

/// <summary>
/// Editing the tree: admins add units beneath their own unit, and rename units or set grid household
/// counts strictly beneath it. A village admin therefore edits the grids of the village, never the village.
/// </summary>
public static partial class OrganisationAdminApi
{
    public static RouteGroupBuilder MapOrganisationAdminApi(this RouteGroupBuilder api)
    {

        api.MapPost("", CreateOrgUnit)
            .WithSummary("Add a village under a sub-district or a grid under a village")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{id}", UpdateOrgUnit)
            .WithSummary("Rename a unit or set a grid's number of households; fields left out stay as they are (PUT: wx.request has no PATCH)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    // The unit's access was read, and the unit locked, in the same transaction: MySQL 8 refuses an UPDATE of org_units
    // whose WHERE reads org_units again (error 1093), which the scope predicate would.
    private const string UpdateUnit = """
        UPDATE org_units
           SET name = COALESCE(@name, name),
               households = COALESCE(@households, households),
               updated_at = @now
         WHERE id = @id
        """;

    internal const int MaxHouseholds = 1_000_000;

    public static async Task<Results<Created<OrgUnit>, ValidationProblem, ProblemHttpResult>> CreateOrgUnit(
        CreateOrgUnitRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var parent = await UnitAccess.ReadAsync(connection, transaction, request.ParentId, callerId, ct);
        if (parent is null)
        {
            return Problems.Invalid("parentId", "org.unit.notFound");
        }
        if (!parent.Administers)
        {
            return Problems.Forbidden("org.unit.addNotAdmin");
        }
        var kind = Enum.Parse<OrgUnitKind>(parent.Kind) switch
        {
            OrgUnitKind.SubDistrict => OrgUnitKind.Village,
            OrgUnitKind.Village => OrgUnitKind.Grid,
            _ => (OrgUnitKind?)null,
        };
        if (kind is null)
        {
            return Problems.Invalid("parentId", "org.unit.wrongParent");
        }
        if (kind == OrgUnitKind.Grid && request.Households is null)
        {
            return Problems.Invalid("households", "org.households.gridNeedsThem");
        }
        if (kind != OrgUnitKind.Grid && request.Households is not null)
        {
            return Problems.Invalid("households", "org.households.perGrid");
        }

        var id = await OrgUnitInsert.InsertAsync(connection, transaction, request.ParentId, kind.Value,
            request.Code, request.Name.Trim(), request.Households, time.DbUtcNow(), ct);
        await transaction.CommitAsync(ct);
        var unit = await connection.QuerySingleAsync<OrgUnit>(new CommandDefinition(OrganisationApi.UnitById, new { id }, cancellationToken: ct));
        return TypedResults.Created($"/api/org/units/{id}", unit);
    }

    public static async Task<Results<Ok<OrgUnit>, ValidationProblem, ProblemHttpResult>> UpdateOrgUnit(
        long id, UpdateOrgUnitRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var unit = await UnitAccess.ReadAsync(connection, transaction, id, callerId, ct, lockUnit: true);
        if (unit is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (!unit.AdministersBelow)
        {
            return Problems.Forbidden("org.unit.editNotAdmin");
        }
        if (request.Households is not null && unit.Kind != nameof(OrgUnitKind.Grid))
        {
            return Problems.Invalid("households", "org.households.perGrid");
        }
        await connection.ExecuteAsync(new CommandDefinition(UpdateUnit,
            new { id, callerId, name = request.Name?.Trim(), households = request.Households, now = time.DbUtcNow() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await connection.QuerySingleAsync<OrgUnit>(new CommandDefinition(OrganisationApi.UnitById, new { id }, cancellationToken: ct)));
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,31}$")]
    internal static partial Regex CodePattern();
}
