using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Platform.Database;

/// <summary>
/// Migrates in the background so that a database that is down at start-up leaves the service
/// running (and unready) instead of crash-looping; it keeps trying until the database answers.
/// </summary>
public sealed class StartupMigrator(
    IOptions<DatabaseOptions> options,
    MigrationState state,
    ILogger<StartupMigrator> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
            state.MarkCurrent();
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Run(() => Migrator.Apply(options.Value.ConnectionString, logger), stoppingToken);
                state.MarkCurrent();
                return;
            }
            catch (Exception ex) when (ex is MySqlException or EvolveDb.EvolveException or TimeoutException)
            {
                logger.LogWarning("Database migration failed ({Reason}); retrying in {Delay}", ex.Message, delay);
            }
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
