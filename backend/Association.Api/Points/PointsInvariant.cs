using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

public sealed record TotalsDifference(long MemberId, string Period, long Stored, long FromLedger);

/// <summary>
/// Recomputes every balance and quarter total from the ledger (a quarter's total leaves out spending, which moves the balance alone) and lists where the stored totals differ. Years are sums of
/// their quarters wherever they are read, so a year can only differ where one of its quarters does.
/// </summary>
public static class PointsInvariant
{
    private const string BalanceDifferences = """
        SELECT COALESCE(t.member_id, l.member_id) AS member_id, 'balance' AS period,
               CAST(COALESCE(t.balance, 0) AS SIGNED) AS stored, CAST(COALESCE(l.points, 0) AS SIGNED) AS from_ledger
          FROM member_point_totals t
          LEFT JOIN (SELECT member_id, SUM(points) AS points FROM point_entries GROUP BY member_id) l ON l.member_id = t.member_id
         WHERE COALESCE(t.balance, 0) <> COALESCE(l.points, 0)
        UNION ALL
        SELECT l.member_id, 'balance', 0, CAST(l.points AS SIGNED)
          FROM (SELECT member_id, SUM(points) AS points FROM point_entries GROUP BY member_id) l
         WHERE NOT EXISTS (SELECT 1 FROM member_point_totals t WHERE t.member_id = l.member_id)
        """;

    // Quarters compare as text: both sides are utf8mb4 columns.
    private const string QuarterDifferences = """
        SELECT l.member_id, l.period, CAST(COALESCE(s.points, 0) AS SIGNED) AS stored, CAST(l.points AS SIGNED) AS from_ledger
          FROM (SELECT member_id, quarter AS period, SUM(points) AS points FROM point_entries
                 WHERE entry_kind NOT IN ('Redemption', 'Refund') GROUP BY member_id, quarter) l
          LEFT JOIN member_period_points s ON s.member_id = l.member_id AND s.period = l.period
         WHERE COALESCE(s.points, 0) <> l.points
        UNION ALL
        SELECT s.member_id, s.period, CAST(s.points AS SIGNED), 0
          FROM member_period_points s
         WHERE s.points <> 0 AND NOT EXISTS (SELECT 1 FROM point_entries e WHERE e.member_id = s.member_id AND e.quarter = s.period
                                                                 AND e.entry_kind NOT IN ('Redemption', 'Refund'))
        """;

    public static async Task<IReadOnlyList<TotalsDifference>> CheckAsync(MySqlDataSource db, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var balances = await connection.QueryAsync<TotalsDifference>(new CommandDefinition(BalanceDifferences, transaction: transaction, cancellationToken: ct));
        var quarters = await connection.QueryAsync<TotalsDifference>(new CommandDefinition(QuarterDifferences, transaction: transaction, cancellationToken: ct));
        return balances.Concat(quarters).ToList();
    }
}
