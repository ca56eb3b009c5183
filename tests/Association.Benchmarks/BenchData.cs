using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// Members spread over the demo grids, made in bulk with SQL (applications included, as the schema
/// requires), and one SubDistrictAdmin with a session whose token goes to stdout for wrk.
/// </summary>
public static class BenchData
{
    public static async Task<int> SeedAsync(string connectionString, int members)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var grids = (await connection.QueryAsync<long>("SELECT id FROM org_units WHERE kind = 'Grid' ORDER BY id")).ToList();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < members; i++)
            {
                var userId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO users (openid, status, created_at) VALUES (@openId, 'Active', UTC_TIMESTAMP(6));
                    SELECT LAST_INSERT_ID();
                    """, new { openId = $"bench-member-{i}" }, transaction);
                var applicationId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO membership_applications (user_id, grid_id, real_name, volunteer_roles, privacy_notice_version,
                        consented_at, notify_on_decision, status, open_marker, created_at)
                    VALUES (@userId, @gridId, 'bench', 'Patrol', 'bench', UTC_TIMESTAMP(6), FALSE, 'Approved', NULL, UTC_TIMESTAMP(6));
                    SELECT LAST_INSERT_ID();
                    """, new { userId, gridId = grids[i % grids.Count] }, transaction);
                await connection.ExecuteAsync("""
                    INSERT INTO members (user_id, application_id, member_number, grid_id, real_name, volunteer_roles, status,
                        joined_on, joined_at, approved_by, updated_at)
                    VALUES (@userId, @applicationId, CONCAT('B', @applicationId), @gridId, 'bench', 'Patrol', 'Active',
                        UTC_DATE(), UTC_TIMESTAMP(6), @userId, UTC_TIMESTAMP(6))
                    """, new { userId, applicationId, gridId = grids[i % grids.Count] }, transaction);
            }
            var adminId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO users (openid, status, created_at) VALUES ('bench-admin', 'Active', UTC_TIMESTAMP(6));
                SELECT LAST_INSERT_ID();
                """, transaction: transaction);
            await connection.ExecuteAsync("""
                INSERT INTO role_assignments (user_id, role, org_unit_id, assigned_by, assigned_at)
                SELECT @adminId, 'SubDistrictAdmin', id, NULL, UTC_TIMESTAMP(6) FROM org_units WHERE kind = 'SubDistrict'
                """, new { adminId }, transaction);
            var token = await NewSessionAsync(connection, adminId, transaction);
            await transaction.CommitAsync();
            Console.WriteLine(token);
        }
        var (first, last) = await connection.QuerySingleAsync<(long, long)>("SELECT MIN(id), MAX(id) FROM members");
        Console.Error.WriteLine($"members {first}..{last}");
        return 0;
    }

    /// <summary>A new session for the admin an earlier seed made, so a run can reuse generated data.</summary>
    public static async Task<int> TokenAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var adminId = await connection.QuerySingleAsync<long>("SELECT id FROM users WHERE openid = 'bench-admin'");
        Console.WriteLine(await NewSessionAsync(connection, adminId, transaction: null));
        return 0;
    }

    private static async Task<string> NewSessionAsync(MySqlConnection connection, long adminId, MySqlTransaction? transaction)
    {
        var token = SessionTokens.NewAccessToken();
        await connection.ExecuteAsync("""
            INSERT INTO auth_sessions (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at)
            VALUES (@adminId, @access, @refresh, UTC_TIMESTAMP(6) + INTERVAL 1 DAY, UTC_TIMESTAMP(6) + INTERVAL 1 DAY, UTC_TIMESTAMP(6))
            """, new { adminId, access = SessionTokens.Hash(token), refresh = SessionTokens.Hash(SessionTokens.NewRefreshToken()) }, transaction);
        return token;
    }
}
