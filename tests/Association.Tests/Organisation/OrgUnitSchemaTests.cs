using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Dapper;
using MySqlConnector;

namespace Association.Tests.Organisation;

/// <summary>The schema itself refuses an inconsistent tree, whatever code writes to it.</summary>
public sealed class OrgUnitSchemaTests(AssociationApp app) : IClassFixture<AssociationApp>
{
    private const string Insert = """
        INSERT INTO org_units (parent_id, kind, code, name, households, path, created_at, updated_at)
        VALUES (@parentId, @kind, @code, @name, @households, '/x/', @now, @now)
        """;

    [Theory]
    [InlineData("Grid", null)]
    [InlineData("Grid", -1)]
    [InlineData("Village", 10)]
    [InlineData("Castle", null)]
    public async Task InsertOrgUnit_WhenKindAndHouseholdsDisagree_IsRefusedByTheDatabase(string kind, int? households)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var district = await connection.ExecuteScalarAsync<long>(
            Insert + "; SELECT LAST_INSERT_ID();",
            new { parentId = (long?)null, kind = "District", code = "D-" + Guid.NewGuid().ToString("N")[..8], name = "d" + Guid.NewGuid(), households = (int?)null, now = app.Clock.DbUtcNow() });

        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync(Insert,
            new { parentId = district, kind, code = "U-" + Guid.NewGuid().ToString("N")[..8], name = "u", households, now = app.Clock.DbUtcNow() }));

        Assert.True(IsCheckViolation(error), error.Message);
    }

    [Fact]
    public async Task InsertOrgUnit_WhenNonDistrictHasNoParent_IsRefusedByTheDatabase()
    {
        await using var connection = await app.Db.OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync(Insert,
            new { parentId = (long?)null, kind = "Village", code = "V-orphan", name = "orphan", households = (int?)null, now = app.Clock.DbUtcNow() }));

        Assert.True(IsCheckViolation(error), error.Message);
    }

    [Fact]
    public async Task CreateTables_WhenMigrated_UseUtf8mb4Everywhere()
    {
        await using var connection = await app.Db.OpenConnectionAsync();

        var collations = await connection.QueryAsync<string>("""
            SELECT DISTINCT table_collation FROM information_schema.tables
             WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
            """);

        Assert.All(collations, c => Assert.StartsWith("utf8mb4", c));
    }

    // MariaDB reports 4025, MySQL 8 reports 3819 for a failed CHECK.
    private static bool IsCheckViolation(MySqlException error) =>
        (int)error.ErrorCode is 4025 or 3819;
}
