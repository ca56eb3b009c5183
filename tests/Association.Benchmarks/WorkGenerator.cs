using System.Diagnostics;
using Dapper;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// The verified work of the generated members over the last twelve months, for the figures and unit-ranking part of the
/// ranking benchmark: PATROLS patrols (eight in ten confirmed, one finished, one rejected; one to three hours) with their
/// participant, and REPORTS grid reports of every kind in every state, accepted within two days and resolved within five
/// when they were, some at the village. Only what is missing is added, so a reused database is topped up, not doubled.
/// </summary>
public static class WorkGenerator
{
    private const int Chunk = 100_000;

    public static async Task<int> RunAsync(string connectionString, long patrols, long reports)
    {
        await using var connection = new MySqlConnection(connectionString + ";Default Command Timeout=3600");
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        await connection.ExecuteAsync("""
            CREATE TEMPORARY TABLE digits (d INT NOT NULL PRIMARY KEY);
            INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
            CREATE TEMPORARY TABLE seq (n INT NOT NULL PRIMARY KEY);
            INSERT INTO seq SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d FROM digits a, digits b, digits c, digits e, digits f;
            CREATE TEMPORARY TABLE gen_members (k INT NOT NULL PRIMARY KEY, member_id BIGINT NOT NULL);
            INSERT INTO gen_members (k, member_id)
            SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM members WHERE real_name = '生成';
            """);
        var memberCount = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gen_members");
        if (memberCount == 0)
        {
            Console.Error.WriteLine("no generated members: run generate first");
            return 1;
        }

        for (var done = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM patrols"); done < patrols; done += Chunk)
        {
            var count = (int)Math.Min(Chunk, patrols - done);
            var lastPatrol = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM patrols");
            await connection.ExecuteAsync("""
                INSERT INTO patrols (grid_id, started_by, status, started_at, finished_at, decided_by, decided_at)
                SELECT m.grid_id, m.id, x.status, x.started_at, x.started_at + INTERVAL x.minutes MINUTE,
                       IF(x.status = 'Finished', NULL, m.user_id), IF(x.status = 'Finished', NULL, x.started_at + INTERVAL 1 DAY)
                  FROM (SELECT gm.member_id,
                               CASE WHEN s.n % 10 < 8 THEN 'Confirmed' WHEN s.n % 10 = 8 THEN 'Finished' ELSE 'Rejected' END AS status,
                               UTC_TIMESTAMP(6) - INTERVAL 1 DAY - INTERVAL ((s.n * 37 + @offset) % 524160) MINUTE AS started_at,
                               60 + (s.n * 13) % 121 AS minutes
                          FROM seq s JOIN gen_members gm ON gm.k = (s.n * 7919 + @offset) % @memberCount
                         WHERE s.n < @count) x
                  JOIN members m ON m.id = x.member_id;
                INSERT INTO patrol_members (patrol_id, member_id) SELECT id, started_by FROM patrols WHERE id > @lastPatrol;
                """, new { offset = done, count, memberCount, lastPatrol });
            if ((done / Chunk) % 5 == 4 || done + count >= patrols)
            {
                Console.Error.WriteLine($"patrols {done + count:N0}/{patrols:N0}  {clock.Elapsed:mm\\:ss}");
            }
        }

        for (var done = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM grid_reports"); done < reports; done += Chunk)
        {
            var count = (int)Math.Min(Chunk, reports - done);
            await connection.ExecuteAsync("""
                INSERT INTO grid_reports (grid_id, reporter_user_id, reporter_member_id, kind, description, urgency, status, content_check,
                                          deadline_at, created_at, updated_at, level, escalated_at, accepted_at, resolved_at, resolved_level)
                SELECT m.grid_id, m.user_id, m.id, x.kind, '生成的上报', 'Normal', x.status, 'Pass', x.created_at + INTERVAL 72 HOUR,
                       x.created_at, x.created_at, x.level, IF(x.level = 'Grid', NULL, x.created_at + INTERVAL 80 HOUR),
                       IF(x.status IN ('Accepted', 'Resolved', 'Closed'), x.created_at + INTERVAL x.accept_hours HOUR, NULL),
                       IF(x.status IN ('Resolved', 'Closed'), x.created_at + INTERVAL x.resolve_hours HOUR, NULL),
                       IF(x.status IN ('Resolved', 'Closed'), x.level, NULL)
                  FROM (SELECT gm.member_id,
                               ELT(1 + s.n % 7, 'SafetyHazard', 'Dispute', 'InformationCollected', 'Unsafe', 'Uncivil', 'Unhealthy', 'Inconvenient') AS kind,
                               ELT(1 + (s.n DIV 7) % 5, 'Submitted', 'Accepted', 'Resolved', 'Closed', 'Rejected') AS status,
                               IF(s.n % 11 = 0, 'Village', 'Grid') AS level,
                               UTC_TIMESTAMP(6) - INTERVAL 6 DAY - INTERVAL ((s.n * 53 + @offset) % 515520) MINUTE AS created_at,
                               1 + s.n % 48 AS accept_hours, 49 + s.n % 72 AS resolve_hours
                          FROM seq s JOIN gen_members gm ON gm.k = (s.n * 104729 + @offset) % @memberCount
                         WHERE s.n < @count) x
                  JOIN members m ON m.id = x.member_id;
                """, new { offset = done, count, memberCount });
            Console.Error.WriteLine($"reports {done + count:N0}/{reports:N0}  {clock.Elapsed:mm\\:ss}");
        }
        return 0;
    }
}
