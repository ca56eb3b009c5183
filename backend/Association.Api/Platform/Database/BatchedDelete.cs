using Dapper;
using MySqlConnector;

namespace Association.Api.Platform.Database;

/// <summary>
/// Runs a <c>DELETE ... LIMIT n</c> until it finds nothing: each batch is its own short transaction, so a cleanup job
/// never holds many locks, and a second run at the same time only finds less to delete.
/// </summary>
public static class BatchedDelete
{
    /// <returns>Rows deleted in all.</returns>
    public static async Task<int> RunAsync(MySqlDataSource db, string deleteSome, object args, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var dropped = 0;
        int batch;
        do
        {
            batch = await connection.ExecuteAsync(new CommandDefinition(deleteSome, args, cancellationToken: ct));
            dropped += batch;
        }
        while (batch > 0);
        return dropped;
    }
}
