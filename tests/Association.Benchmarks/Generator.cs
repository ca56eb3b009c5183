using System.Diagnostics;
using Dapper;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// Bulk data for the ranking benchmark: MEMBERS members spread over the demo grids and ENTRIES ledger
/// entries in the current quarter, with the totals the ledger implies. Plain SQL INSERT ... SELECT over a
/// digits table (portable to MySQL 8), in chunks, with progress on stderr.
/// </summary>
public static class Generator
{
    public static async Task<int> RunAsync(string connectionString, int members, long entries)
    {
        await using var connection = new MySqlConnection(connectionString + ";Default Command Timeout=3600");
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        await connection.ExecuteAsync("""
            CREATE TEMPORARY TABLE digits (d INT NOT NULL PRIMARY KEY);
            INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
            CREATE TEMPORARY TABLE seq (n INT NOT NULL PRIMARY KEY);
            INSERT INTO seq SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d FROM digits a, digits b, digits c, digits e, digits f;
            """);
        var grids = (await connection.QueryAsync<long>("SELECT id FROM org_units WHERE kind = 'Grid' ORDER BY id")).ToList();
        await connection.ExecuteAsync("CREATE TEMPORARY TABLE gen_grids (slot INT NOT NULL PRIMARY KEY, grid_id BIGINT NOT NULL)");
        for (var i = 0; i < grids.Count; i++)
        {
            await connection.ExecuteAsync("INSERT INTO gen_grids VALUES (@i, @g)", new { i, g = grids[i] });
        }
        var quarter = Association.Api.Platform.Quarter.Current(TimeProvider.System).ToString();
        var year = quarter[..4];

        for (var start = 0; start < members; start += 100_000)
        {
            var count = Math.Min(100_000, members - start);
            await connection.ExecuteAsync("""
                INSERT INTO users (openid, status, created_at)
                SELECT CONCAT('gen-', @start + n), 'Active', UTC_TIMESTAMP(6) FROM seq WHERE n < @count;
                INSERT INTO membership_applications (user_id, grid_id, real_name, volunteer_roles, privacy_notice_version,
                    consented_at, notify_on_decision, status, open_marker, created_at)
                SELECT u.id, gg.grid_id, '生成', 'Patrol', 'gen', UTC_TIMESTAMP(6), FALSE, 'Approved', NULL, UTC_TIMESTAMP(6)
                  FROM users u JOIN gen_grids gg ON gg.slot = u.id % @gridCount
                 WHERE u.openid LIKE 'gen-%' AND u.id > (SELECT COALESCE(MAX(user_id), 0) FROM membership_applications);
                INSERT INTO members (user_id, application_id, member_number, grid_id, real_name, volunteer_roles, status,
                    joined_on, joined_at, approved_by, updated_at)
                SELECT a.user_id, a.id, CONCAT('G', a.id), a.grid_id, '生成', 'Patrol', 'Active', UTC_DATE(), UTC_TIMESTAMP(6), a.user_id, UTC_TIMESTAMP(6)
                  FROM membership_applications a
                 WHERE a.privacy_notice_version = 'gen' AND a.id > (SELECT COALESCE(MAX(application_id), 0) FROM members);
                """, new { start, count, gridCount = grids.Count });
            Console.Error.WriteLine($"members {start + count:N0}/{members:N0}  {clock.Elapsed:mm\\:ss}");
        }

        // Auto-increment ids of bulk inserts may have gaps, so entries pick members by a dense index.
        await connection.ExecuteAsync("""
            CREATE TEMPORARY TABLE gen_members (k INT NOT NULL PRIMARY KEY, member_id BIGINT NOT NULL);
            INSERT INTO gen_members (k, member_id)
            SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM members WHERE real_name = '生成';
            """);
        var memberCount = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gen_members");
        for (long done = 0; done < entries; done += 100_000)
        {
            var count = (int)Math.Min(100_000, entries - done);
            await connection.ExecuteAsync("""
                INSERT INTO point_entries (member_id, entry_kind, points, quarter, year, reason, created_at)
                SELECT gm.member_id, 'Adjustment', 1 + ((s.n * 31 + @offset) % 20), @quarter, @year, 'gen', UTC_TIMESTAMP(6)
                  FROM seq s JOIN gen_members gm ON gm.k = (s.n * 7919 + @offset) % @memberCount
                 WHERE s.n < @count
                """, new { memberCount, offset = done, count, quarter, year = int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) });
            if ((done / 100_000) % 10 == 9 || done + count >= entries)
            {
                Console.Error.WriteLine($"entries {done + count:N0}/{entries:N0}  {clock.Elapsed:mm\\:ss}");
            }
        }

        await connection.ExecuteAsync("""
            INSERT INTO member_point_totals (member_id, balance, updated_at)
            SELECT member_id, SUM(points), UTC_TIMESTAMP(6) FROM point_entries GROUP BY member_id
            ON DUPLICATE KEY UPDATE balance = VALUES(balance);
            INSERT INTO member_period_points (member_id, period, points)
            SELECT member_id, quarter, SUM(points) FROM point_entries GROUP BY member_id, quarter
            ON DUPLICATE KEY UPDATE points = VALUES(points);
            """);
        Console.Error.WriteLine($"totals done  {clock.Elapsed:mm\\:ss}");
        return 0;
    }
}
