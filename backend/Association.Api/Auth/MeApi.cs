using Association.Api.Platform.Auth;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Auth;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {

        api.MapGet("", GetMe)
            .WithSummary("Who I am: my user id and my roles with the units they apply to")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    private const string MyRoles = """
        SELECT ra.role, u.id AS org_unit_id, u.kind AS org_unit_kind, u.code AS org_unit_code, u.name AS org_unit_name
          FROM role_assignments ra
          JOIN org_units u ON u.id = ra.org_unit_id
         WHERE ra.user_id = @callerId
         ORDER BY u.path, ra.role
        """;

    private const string Me = "SELECT created_at FROM users WHERE id = @callerId";

    public static async Task<Ok<MeResponse>> GetMe(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var signedUpAt = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(Me, new { callerId }, cancellationToken: ct));
        var roles = await connection.QueryAsync<RoleGrant>(new CommandDefinition(MyRoles, new { callerId }, cancellationToken: ct));
        return TypedResults.Ok(new MeResponse(callerId, signedUpAt, roles.AsList()));
    }
}
