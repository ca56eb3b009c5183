using Dapper;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// The verified work the benchmark awards: an award's source must be a record of the member's own confirmed work, so
/// every award of the run needs a record of its own. Patrols confirmed by the bench admin, each with every bench member
/// on it, numbered so that a slot (0, 1, 2...) names its record and member without a lookup: slot s is participation
/// s + 1, of patrol s / members + 1, by member first + s % members. Each phase of a run draws its own range of slots.
/// </summary>
public static class BenchSources
{
    /// <summary>When every bench patrol started: the work day an award names, the same in every phase.</summary>
    public const string OccurredAtVariable = "OCCURRED_AT";

    private const int PatrolsPerStatement = 50;

    public static async Task<int> SeedAsync(string connectionString, long slots)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var (first, last) = await connection.QuerySingleAsync<(long, long)>("SELECT MIN(id), MAX(id) FROM members WHERE real_name = 'bench'");
        var members = last - first + 1;
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE real_name = 'bench'") != members)
        {
            throw new InvalidOperationException("The bench members' ids are not contiguous.");
        }
        var (adminId, gridId) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT id FROM users WHERE openid = 'bench-admin'), (SELECT MIN(id) FROM org_units WHERE kind = 'Grid')");
        var startedAt = DateTime.UtcNow.AddMinutes(-10);
        var patrols = (slots + members - 1) / members;
        for (var from = 1L; from <= patrols; from += PatrolsPerStatement)
        {
            var to = Math.Min(patrols, from + PatrolsPerStatement - 1);
            await connection.ExecuteAsync("""
                INSERT INTO patrols (id, grid_id, started_by, status, started_at, finished_at, decided_by, decided_at)
                SELECT m.id - @first + @from, @gridId, @adminId, 'Confirmed', @startedAt, @startedAt + INTERVAL 1 HOUR, @adminId, @startedAt
                  FROM members m WHERE m.id BETWEEN @first AND @first + @to - @from;
                INSERT INTO patrol_members (id, patrol_id, member_id)
                SELECT (p.id - 1) * @members + (m.id - @first) + 1, p.id, m.id
                  FROM patrols p JOIN members m ON m.id BETWEEN @first AND @last
                 WHERE p.id BETWEEN @from AND @to;
                """, new { first, last, members, from, to, gridId, adminId, startedAt }, commandTimeout: 600);
        }
        Console.WriteLine(new DateTimeOffset(startedAt, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        Console.Error.WriteLine($"sources {patrols * members} in {patrols} patrols of {members} members");
        return 0;
    }

    /// <summary>The participation that slot <paramref name="slot"/> names, and its member.</summary>
    public static (long Source, long Member) Of(long slot, long firstMember, long members) => (slot + 1, firstMember + slot % members);
}
