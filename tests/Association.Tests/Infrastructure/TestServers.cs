using MySqlConnector;

namespace Association.Tests.Infrastructure;

/// <summary>
/// Where the servers started by scripts/test.sh (scripts/servers.sh) listen. The environment wins,
/// so CI or a developer can point the tests elsewhere; the defaults are the private instances.
/// </summary>
public static class TestServers
{
    public static string MariaDb =>
        Environment.GetEnvironmentVariable("Database__ConnectionString")
        ?? "Server=127.0.0.1;Port=3407;User ID=association;Password=association-dev-only;Database=association";

    public static string Redis => Environment.GetEnvironmentVariable("Redis__Configuration") ?? "127.0.0.1:6390";

    /// <summary>A new, empty database for one test class; the caller drops it when done.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new MySqlConnection(MariaDb);
        try
        {
            await connection.OpenAsync();
        }
        catch (MySqlException ex)
        {
            throw new InvalidOperationException(
                "MariaDB for the tests is not reachable. Run the tests with scripts/test.sh, or start the servers with scripts/servers.sh up.", ex);
        }
        await using var command = new MySqlCommand(
            $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", connection);
        await command.ExecuteNonQueryAsync();
        return new MySqlConnectionStringBuilder(MariaDb) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        await using var connection = new MySqlConnection(MariaDb);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`", connection);
        await command.ExecuteNonQueryAsync();
    }
}
