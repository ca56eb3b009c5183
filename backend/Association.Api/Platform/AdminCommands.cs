using Association.Api.Organisation;
using Association.Api.Platform.Database;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Platform;

/// <summary>
/// Operations a deployment runs once and exits: <c>migrate</c> (apply the schema) and
/// <c>seed-demo</c> (migrate, then load the demo organisation when the database is empty).
/// </summary>
public static class AdminCommands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return false;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Association.Commands");
        var connectionString = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString;
        try
        {
            switch (args[0])
            {
                case "migrate":
                    Migrator.Apply(connectionString, logger);
                    break;
                case "seed-demo":
                    Migrator.Apply(connectionString, logger);
                    var added = await OrganisationDemoData.SeedAsync(app.Services.GetRequiredService<MySqlDataSource>());
                    logger.LogInformation("Demo organisation: {Added}", added ? "loaded" : "already present, left alone");
                    break;
                default:
                    logger.LogError("Unknown command {Command}; known: migrate, seed-demo", args[0]);
                    Environment.ExitCode = 2;
                    break;
            }
        }
        catch (Exception ex) when (ex is MySqlException or EvolveDb.EvolveException)
        {
            logger.LogError("{Command} failed: {Reason}", args[0], ex.Message);
            Environment.ExitCode = 1;
        }
        return true;
    }
}
