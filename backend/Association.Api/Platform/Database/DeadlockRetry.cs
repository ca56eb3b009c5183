using MySqlConnector;

namespace Association.Api.Platform.Database;

/// <summary>
/// Runs a transaction again when the server chose it as a deadlock victim (1213, also what Galera answers when a
/// commit fails certification). Only for work that is idempotent as a whole: the victim was rolled back entirely.
/// </summary>
public static class DeadlockRetry
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.LockDeadlock && attempt < attempts)
            {
                await Task.Delay(Random.Shared.Next(10, 50) * attempt);
            }
        }
    }
}
