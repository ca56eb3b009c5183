using Association.Api.Platform;
using Association.Api.Platform.Database;
using Association.Api.Points;
using Dapper;
using MySqlConnector;

namespace Association.Api.Demo;

/// <summary>
/// The sub-district's points catalogue (积分兑换) and the first redemptions by members of the first grid, spent through
/// the ledger as the redeem call spends them: most waiting to be handed over, one handed over already.
/// </summary>
public static class RewardsDemo
{
    private const string SubDistrict = "SELECT id FROM org_units WHERE code = 'TX-DTP'";

    private const string Item = """
        INSERT INTO reward_items (sub_district_id, name, description, points, stock, per_member_limit, limit_period, created_by, created_at)
        VALUES (@subDistrictId, @name, @description, @points, @stock, @limit, @period, @by, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Richest = """
        SELECT t.member_id FROM member_point_totals t WHERE t.member_id IN @memberIds AND t.balance >= @points ORDER BY t.balance DESC, t.member_id LIMIT 4
        """;

    private const string Take = """
        UPDATE reward_items SET stock = stock - 1 WHERE id = @itemId;
        INSERT INTO redemptions (item_id, member_id, points, status, entry_id, created_at, decided_by, decided_at)
        VALUES (@itemId, @memberId, @points, @status, @entryId, @now, @decidedBy, @decidedAt);
        """;

    public static async Task<int> SeedAsync(MySqlConnection connection, TimeProvider time, IReadOnlyList<long> memberIds, long by, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var subDistrictId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrict, cancellationToken: ct));
        (string Name, string Description, int Points, int Stock, int? Limit, string Period)[] catalogue =
        [
            ("红袖章保温杯", "印有协会标识的不锈钢保温杯", 30, 50, 1, "Quarter"),
            ("应急手电筒", "巡防用充电式强光手电", 60, 20, 1, "Year"),
            ("家用灭火器（2公斤）", "干粉灭火器，街道统一配送", 120, 10, null, "Year"),
        ];
        var items = new List<(long Id, int Points)>();
        foreach (var (name, description, points, stock, limit, period) in catalogue)
        {
            items.Add((await connection.ExecuteScalarAsync<long>(new CommandDefinition(Item, new
            {
                subDistrictId, name, description, points, stock, limit, period, by, now = now.AddDays(-30),
            }, cancellationToken: ct)), points));
        }
        var (itemId, cost) = items[0];
        var redeemers = (await connection.QueryAsync<long>(new CommandDefinition(Richest, new { memberIds, points = cost }, cancellationToken: ct))).ToList();
        foreach (var (memberId, i) in redeemers.Select((m, i) => (m, i)))
        {
            var at = now.AddDays(i - redeemers.Count);
            await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
            await PointsLedger.LockMemberAsync(connection, transaction, memberId, at, ct);
            var entryId = await PointsLedger.InsertAsync(connection, transaction, new PointsLedger.NewEntry(memberId, EntryKind.Redemption, -cost,
                null, null, null, null, null, null, null, Quarter.OfUtc(at).ToString(), null, null), at, ct);
            var handedOver = i == 0;
            await connection.ExecuteAsync(new CommandDefinition(Take, new
            {
                itemId, memberId, points = cost, status = handedOver ? "Fulfilled" : "Pending", entryId, now = at,
                decidedBy = handedOver ? by : (long?)null, decidedAt = handedOver ? at.AddHours(2) : (DateTime?)null,
            }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
        return redeemers.Count;
    }
}
