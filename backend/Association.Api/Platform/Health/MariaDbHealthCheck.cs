using Association.Api.Platform.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace Association.Api.Platform.Health;

public sealed class MariaDbHealthCheck(MySqlDataSource dataSource, MigrationState migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new MySqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is MySqlException or OperationCanceledException or TimeoutException)
        {
            // Fixed words only: the exception may name hosts or users.
            return new HealthCheckResult(context.Registration.FailureStatus, "MariaDB is unreachable.");
        }
        return migrations.IsCurrent
            ? HealthCheckResult.Healthy("MariaDB answers and the schema is current.")
            : new HealthCheckResult(context.Registration.FailureStatus, "MariaDB answers; schema migrations are still pending.");
    }
}
