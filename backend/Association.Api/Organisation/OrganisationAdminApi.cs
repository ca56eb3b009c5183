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

    private const int MaxHouseholds = 1_000_000;

    public static async Task<Results<Created<OrgUnit>, ValidationProblem, ProblemHttpResult>> CreateOrgUnit(
        CreateOrgUnitRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if ((ValidateCode(request.Code) ?? ValidateName(request.Name)) is { } invalid)
        {
            return invalid;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var parent = await UnitAccess.ReadAsync(connection, transaction, request.ParentId, callerId, ct);
        if (parent is null)
        {
            return Problems.Invalid("parentId", $"No organisation unit with id {request.ParentId}.");
        }
        if (!parent.Administers)
        {
            return Problems.Forbidden("Units are added by an admin of the unit above them.");
        }
        var kind = Enum.Parse<OrgUnitKind>(parent.Kind) switch
        {
            OrgUnitKind.SubDistrict => OrgUnitKind.Village,
            OrgUnitKind.Village => OrgUnitKind.Grid,
            _ => (OrgUnitKind?)null,
        };
        if (kind is null)
        {
            return Problems.Invalid("parentId", "Units are added under a sub-district (villages) or a village (grids).");
        }
        if (kind == OrgUnitKind.Grid && request.Households is null)
        {
            return Problems.Invalid("households", "A grid needs its number of households.");
        }
        if (kind != OrgUnitKind.Grid && request.Households is not null)
        {
            return Problems.Invalid("households", "Households are counted per grid; a village adds up its grids.");
        }
        if (request.Households is < 0 or > MaxHouseholds)
        {
            return Problems.Invalid("households", $"Households must be between 0 and {MaxHouseholds}.");
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
        if (request.Name is not null && ValidateName(request.Name) is { } invalid)
        {
            return invalid;
        }
        if (request.Households is < 0 or > MaxHouseholds)
        {
            return Problems.Invalid("households", $"Households must be between 0 and {MaxHouseholds}.");
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var unit = await UnitAccess.ReadAsync(connection, transaction, id, callerId, ct, lockUnit: true);
        if (unit is null)
        {
            return Problems.NotFound("organisation unit", id);
        }
        if (!unit.AdministersBelow)
        {
            return Problems.Forbidden("A unit is edited by an admin of a unit above it.");
        }
        if (request.Households is not null && unit.Kind != nameof(OrgUnitKind.Grid))
        {
            return Problems.Invalid("households", "Households are counted per grid; a village adds up its grids.");
        }
        await connection.ExecuteAsync(new CommandDefinition(UpdateUnit,
            new { id, callerId, name = request.Name?.Trim(), households = request.Households, now = time.DbUtcNow() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await connection.QuerySingleAsync<OrgUnit>(new CommandDefinition(OrganisationApi.UnitById, new { id }, cancellationToken: ct)));
    }

    private static ValidationProblem? ValidateCode(string? code) =>
        code is not null && CodePattern().IsMatch(code)
            ? null
            : Problems.Invalid("code", "Use 2 to 32 capital letters, digits or '-', e.g. TX-DTP-DT-05.");

    private static ValidationProblem? ValidateName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= 100
            ? null
            : Problems.Invalid("name", "A name of 1 to 100 characters is needed.");

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,31}$")]
    private static partial Regex CodePattern();
}
