using Association.Api.Organisation;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Roles;

/// <summary>
/// Grid leaders, village admins and sub-district admins. An admin assigns and withdraws roles only
/// on units strictly beneath their own, so nobody can grant a role at or above their own level.
/// A change signs the affected user out everywhere, so no token outlives the role it was used with.
/// </summary>
public static class RolesApi
{
    public static RouteGroupBuilder MapRolesApi(this RouteGroupBuilder api)
    {

        api.MapGet("", ListUnitRoles)
            .WithSummary("Role holders on a unit and the units beneath it, as far as the caller may see")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("", AssignRole)
            .WithSummary("Give a user a role on a unit beneath the caller's own")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{role}/{userId}", RevokeRole)
            .WithSummary("Withdraw a user's role on a unit beneath the caller's own")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string UnitAccess = """
        SELECT target.kind,
               (
        """ + Scope.Sees + """
               ) AS sees,
               (
        """ + Scope.AdministersBelow + """
               ) AS administers
          FROM org_units target
         WHERE target.id = @unitId
        """;

    private const string RolesInSubtree = """
        SELECT ra.user_id, ra.role, ra.org_unit_id, target.name AS org_unit_name, ra.assigned_by, ra.assigned_at
          FROM org_units root
          JOIN org_units target ON target.path LIKE CONCAT(root.path, '%')
          JOIN role_assignments ra ON ra.org_unit_id = target.id
         WHERE root.id = @unitId AND
        """ + Scope.Sees + """
         ORDER BY target.path, ra.role, ra.user_id
        """;

    private const string ActiveUser = "SELECT COUNT(*) FROM users WHERE id = @userId AND status = 'Active'";

    private const string HasRole = "SELECT COUNT(*) FROM role_assignments WHERE user_id = @userId AND role = @role AND org_unit_id = @unitId";

    private const string InsertRole = """
        INSERT INTO role_assignments (user_id, role, org_unit_id, assigned_by, assigned_at)
        SELECT @userId, @role, target.id, @callerId, @now
          FROM org_units target
         WHERE target.id = @unitId AND
        """ + Scope.AdministersBelow;

    // The scope was checked by UnitAccess in the same transaction; MySQL forbids a DELETE from
    // role_assignments to read role_assignments again in its own WHERE (error 1093).
    private const string DeleteRole = """
        DELETE FROM role_assignments
         WHERE org_unit_id = @unitId AND role = @role AND user_id = @userId
        """;

    private const string RecordChange = """
        INSERT INTO role_changes (user_id, role, org_unit_id, change_kind, changed_by, changed_at)
        VALUES (@userId, @role, @unitId, @change, @callerId, @now)
        """;

    private sealed class UnitAccessRow
    {
        public string Kind { get; init; } = "";

        public bool Sees { get; init; }

        public bool Administers { get; init; }
    }

    public static async Task<Results<Ok<IReadOnlyList<RoleAssignment>>, ProblemHttpResult>> ListUnitRoles(
        long unitId, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var access = await connection.QuerySingleOrDefaultAsync<UnitAccessRow>(new CommandDefinition(UnitAccess, new { unitId, callerId }, cancellationToken: ct));
        if (access is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        var rows = await connection.QueryAsync<RoleAssignment>(new CommandDefinition(RolesInSubtree, new { unitId, callerId }, cancellationToken: ct));
        var list = rows.AsList();
        // Nothing visible and no role on or above the unit: the unit is someone else's, and answered as a missing one.
        return list.Count == 0 && !access.Sees ? Problems.NotFound("org.unit.notFound") : TypedResults.Ok<IReadOnlyList<RoleAssignment>>(list);
    }

    public static async Task<Results<Created<RoleAssignment>, ValidationProblem, ProblemHttpResult>> AssignRole(
        long unitId, AssignRoleRequest request, HttpContext http, MySqlDataSource db, SessionCache sessions, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var args = new { unitId, callerId, userId = request.UserId, role = request.Role.ToString(), now, change = "Assigned" };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var access = await connection.QuerySingleOrDefaultAsync<UnitAccessRow>(new CommandDefinition(UnitAccess, args, transaction, cancellationToken: ct));
        if (access is null || !access.Sees)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (!access.Administers)
        {
            return Problems.Forbidden("roles.assign.notAdmin");
        }
        if (request.Role.UnitKind().ToString() != access.Kind)
        {
            return Problems.Invalid("role", "roles.role.wrongUnitKind", request.Role.UnitKind(), Enum.Parse<OrgUnitKind>(access.Kind));
        }
        if (request.UserId == callerId)
        {
            return Problems.Invalid("userId", "roles.assign.self");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ActiveUser, args, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Invalid("userId", "roles.user.notFound");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(HasRole, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("roles.role.alreadyHeld", request.Role);
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertRole, args, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordChange, args, transaction, cancellationToken: ct));
        await SessionRevocation.RevokeAllAsync(connection, transaction, request.UserId, SessionEndReason.RoleChanged, now, ct);
        await transaction.CommitAsync(ct);
        await sessions.ForgetAsync(request.UserId);

        var unitName = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT name FROM org_units WHERE id = @unitId", args, cancellationToken: ct));
        return TypedResults.Created($"/api/org/units/{unitId}/roles",
            new RoleAssignment(request.UserId, request.Role, unitId, unitName ?? "", callerId, now));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeRole(
        long unitId, string role, long userId, HttpContext http, MySqlDataSource db, SessionCache sessions, TimeProvider time, CancellationToken ct)
    {
        if (!RoleRules.TryParse(role, out var parsed))
        {
            return Problems.Invalid("role", "validation.enum.unknown");
        }
        var callerId = http.User.UserId();
        var args = new { unitId, callerId, userId, role = parsed.ToString(), now = time.DbUtcNow(), change = "Revoked" };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var access = await connection.QuerySingleOrDefaultAsync<UnitAccessRow>(new CommandDefinition(UnitAccess, args, transaction, cancellationToken: ct));
        if (access is null || !access.Sees)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (!access.Administers)
        {
            return Problems.Forbidden("roles.revoke.notAdmin");
        }
        if (await connection.ExecuteAsync(new CommandDefinition(DeleteRole, args, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("roles.role.notHeld", parsed);
        }
        await connection.ExecuteAsync(new CommandDefinition(RecordChange, args, transaction, cancellationToken: ct));
        await SessionRevocation.RevokeAllAsync(connection, transaction, userId, SessionEndReason.RoleChanged, args.now, ct);
        await transaction.CommitAsync(ct);
        await sessions.ForgetAsync(userId);
        return TypedResults.NoContent();
    }
}
