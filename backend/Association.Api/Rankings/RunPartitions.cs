using System.Globalization;
using Dapper;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// The partition of member_ranks that holds one run. Partition DDL takes no parameters, so its text
/// carries the run id, a number ranking_runs generated, never anything a caller sent.
/// </summary>
public static class RunPartitions
{
    public static string Add(long runId) =>
        string.Create(CultureInfo.InvariantCulture, $"ALTER TABLE member_ranks ADD PARTITION (PARTITION r{runId} VALUES IN ({runId}))");

    public static async Task DropAsync(MySqlConnection connection, long runId, CancellationToken ct)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                string.Create(CultureInfo.InvariantCulture, $"ALTER TABLE member_ranks DROP PARTITION r{runId}"), cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DropPartitionNonExistent)
        {
            // A concurrent pass dropped it first, or the run died before it had one.
        }
    }
}
