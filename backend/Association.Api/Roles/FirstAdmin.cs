using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Roles;

/// <summary>
/// The first SubDistrictAdmin (or DistrictAdmin) of a deployment, made from the command line by whoever runs the
/// server: there is no default account or password. The WeChat user is named by openid and gets the
/// role when they first sign in (or at once, if they already have).
/// </summary>
public static class FirstAdmin
{
    private const string FindSubDistrict = "SELECT id, kind FROM org_units WHERE code = @code";

    private const string EnsureUser = """
        INSERT INTO users (openid, status, created_at) VALUES (@openId, 'Active', @now)
        ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
        SELECT LAST_INSERT_ID();
        """;

    private const string HasRole = "SELECT COUNT(*) FROM role_assignments WHERE user_id = @userId AND role = @role AND org_unit_id = @unitId";

    private const string Grant = """
        INSERT INTO role_assignments (user_id, role, org_unit_id, assigned_by, assigned_at)
        VALUES (@userId, @role, @unitId, NULL, @now);
        INSERT INTO role_changes (user_id, role, org_unit_id, change_kind, changed_by, changed_at)
        VALUES (@userId, @role, @unitId, 'Assigned', NULL, @now);
        """;

    private sealed record UnitRow(long Id, string Kind);

    /// <summary>
    /// Returns the user id; throws <see cref="ArgumentException"/> for a bad openid or code. A sub-district's code makes a
    /// SubDistrictAdmin, a district's (with <paramref name="district"/>) a DistrictAdmin.
    /// </summary>
    public static async Task<long> GrantAsync(MySqlDataSource db, string openId, string subDistrictCode, TimeProvider time, CancellationToken ct = default,
        bool district = false)
    {
        if (string.IsNullOrWhiteSpace(openId) || openId.Length > 64)
        {
            throw new ArgumentException("--openid must be the WeChat openid of the person (at most 64 characters).");
        }
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var unit = await connection.QuerySingleOrDefaultAsync<UnitRow>(new CommandDefinition(FindSubDistrict, new { code = subDistrictCode }, transaction, cancellationToken: ct));
        var role = district ? Role.DistrictAdmin : Role.SubDistrictAdmin;
        if (unit is null || unit.Kind != role.UnitKind().ToString())
        {
            throw new ArgumentException(district
                ? $"--district must be the code of a district; '{subDistrictCode}' is not."
                : $"--sub-district must be the code of a sub-district; '{subDistrictCode}' is not.");
        }
        var userId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(EnsureUser, new { openId, now }, transaction, cancellationToken: ct));
        var args = new { userId, role = role.ToString(), unitId = unit.Id, now };
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(HasRole, args, transaction, cancellationToken: ct)) == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(Grant, args, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return userId;
    }
}
