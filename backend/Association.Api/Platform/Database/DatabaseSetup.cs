using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Platform.Database;

public static class DatabaseSetup
{
    public static void AddDatabase(this WebApplicationBuilder builder)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => ParsesAsConnectionString(o.ConnectionString),
                "Database:ConnectionString is not a valid MySQL connection string.")
            .ValidateOnStart();

        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new MySqlDataSourceBuilder(Normalise(options.ConnectionString))
                .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
                .Build();
        });

        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService<StartupMigrator>();
    }

    /// <summary>Settings every connection of ours relies on, whatever the deployment wrote.</summary>
    public static string Normalise(string connectionString)
    {
        var settings = new MySqlConnectionStringBuilder(connectionString)
        {
            // Every DATETIME(6) we store is UTC; reading it back as Unspecified would invite local-time bugs.
            DateTimeKind = MySqlDateTimeKind.Utc,
            CharacterSet = "utf8mb4",
        };
        // A request must not hang for the default 15 s when the database is gone; the caller gets a 503.
        if (!ContainsKey(connectionString, "Connection Timeout", "ConnectionTimeout", "Connect Timeout"))
        {
            settings.ConnectionTimeout = 5;
        }
        return settings.ConnectionString;
    }

    private static bool ContainsKey(string connectionString, params string[] keys) =>
        keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

    private static bool ParsesAsConnectionString(string value)
    {
        try
        {
            _ = new MySqlConnectionStringBuilder(value);
            return !string.IsNullOrWhiteSpace(value);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
