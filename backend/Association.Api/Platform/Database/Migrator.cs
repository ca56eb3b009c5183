using EvolveDb;
using EvolveDb.Dialect;
using MySqlConnector;

namespace Association.Api.Platform.Database;

/// <summary>
/// Applies the forward-only SQL scripts embedded in this assembly. Evolve takes a database lock,
/// so several instances starting together apply each script once.
/// </summary>
public static class Migrator
{
    private const string ScriptNamespace = "Association.Api.Platform.Database.Migrations";

    /// <summary>Applies every script, or those up to <paramref name="upToVersion"/> (tests of a data migration start there).</summary>
    public static void Apply(string connectionString, ILogger logger, string? upToVersion = null)
    {
        // Scripts may keep DDL they build in a session variable (PREPARE FROM @ddl); the API's own
        // connections keep user variables off, so a stray @name there stays an error.
        var builder = new MySqlConnectionStringBuilder(DatabaseSetup.Normalise(connectionString)) { AllowUserVariables = true };
        using var connection = new MySqlConnection(builder.ConnectionString);
        var evolve = new Evolve(connection, message => logger.LogInformation("Evolve: {EvolveMessage}", message), DBMS.MySQL)
        {
            EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
            EmbeddedResourceFilters = [ScriptNamespace],
            MetadataTableName = "schema_history",
            // Never let a misconfigured deployment wipe the database.
            IsEraseDisabled = true,
            CommandTimeout = 600,
        };
        if (upToVersion is not null)
        {
            evolve.TargetVersion = new EvolveDb.Migration.MigrationVersion(upToVersion);
        }
        evolve.Migrate();
        logger.LogInformation("Database schema is current ({Applied} scripts applied in this run)", evolve.NbMigration);
    }
}
