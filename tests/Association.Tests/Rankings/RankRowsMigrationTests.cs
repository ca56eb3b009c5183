using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Association.Tests.Rankings;

/// <summary>Migration 15 moves stored rankings (three rows per member) to one row per member in a partition per run.</summary>
public sealed class RankRowsMigrationTests : IAsyncLifetime
{
    private readonly string _name = "association_migration_" + Guid.NewGuid().ToString("N")[..8];
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await TestServers.CreateDatabaseAsync(_name);

    public Task DisposeAsync() => TestServers.DropDatabaseAsync(_name);

    [Fact]
    public async Task Migrate_WhenFinalRankingsAreStored_KeepsThemReadableRowForRow()
    {
        Migrator.Apply(_connectionString, NullLogger.Instance, upToVersion: "2026.11.29.14");
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync();
        // Two members of one grid ranked in a final quarter (run 7) and an older run (3) of it that was never dropped.
        await connection.ExecuteAsync("""
            INSERT INTO ranking_runs (id, quarter, started_at) VALUES (3, '2026Q2', @now), (7, '2026Q2', @now);
            INSERT INTO ranking_quarters (quarter, status, current_run, computed_at, finalised_at)
            VALUES ('2026Q2', 'Final', 7, @now, @now);
            INSERT INTO member_rankings (run_id, scope_kind, scope_id, member_id, points, rank_no, position) VALUES
                (7, 'Grid', 30, 101, 50, 1, 1), (7, 'Village', 20, 101, 50, 1, 1), (7, 'SubDistrict', 10, 101, 50, 2, 2),
                (7, 'Grid', 30, 102, 40, 2, 2), (7, 'Village', 20, 102, 40, 2, 2), (7, 'SubDistrict', 10, 102, 40, 3, 3),
                (3, 'Grid', 30, 101, 10, 1, 1), (3, 'Village', 20, 101, 10, 1, 1), (3, 'SubDistrict', 10, 101, 10, 1, 1);
            """, new { now = new DateTime(2026, 7, 10, 2, 0, 0, DateTimeKind.Utc) });

        Migrator.Apply(_connectionString, NullLogger.Instance);

        var rows = (await connection.QueryAsync<(long, long, int, long, int, int, long, int, int, long, int, int)>("""
            SELECT run_id, member_id, points, grid_id, grid_rank, grid_position, village_id, village_rank, village_position,
                   sub_district_id, sub_district_rank, sub_district_position
              FROM member_ranks ORDER BY run_id, member_id
            """)).ToList();
        Assert.Equal(
        [
            (3L, 101L, 10, 30L, 1, 1, 20L, 1, 1, 10L, 1, 1),
            (7L, 101L, 50, 30L, 1, 1, 20L, 1, 1, 10L, 2, 2),
            (7L, 102L, 40, 30L, 2, 2, 20L, 2, 2, 10L, 3, 3),
        ], rows);
        var partitions = await connection.QueryAsync<string>("""
            SELECT partition_name FROM information_schema.partitions
             WHERE table_schema = DATABASE() AND table_name = 'member_ranks' ORDER BY partition_ordinal_position
            """);
        Assert.Equal(["r0", "r3", "r7"], partitions);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'member_rankings'"));
    }
}
