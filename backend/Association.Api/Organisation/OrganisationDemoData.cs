using Dapper;
using MySqlConnector;

namespace Association.Api.Organisation;

/// <summary>
/// The seed's own place: Tianxin District, Datuopu sub-district, and a handful of its villages with
/// grids. Village names are the sub-district's; grid splits and household counts are illustrative.
/// </summary>
public static class OrganisationDemoData
{
    private static readonly (string Code, string Name, int[] GridHouseholds)[] Villages =
    [
        ("DT", "大托村", [312, 287, 265, 341]),
        ("XL", "新路村", [298, 276, 254]),
        ("GJ", "桂井村", [233, 305, 219]),
        ("HH", "黄合村", [264, 248, 301, 196]),
        ("XF", "先锋村", [322, 287]),
    ];

    /// <summary>Loads the demo tree into an empty organisation; returns false when units already exist.</summary>
    public static async Task<bool> SeedAsync(MySqlDataSource db, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var existing = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT COUNT(*) FROM org_units FOR UPDATE", transaction: transaction, cancellationToken: ct));
        if (existing > 0)
        {
            return false;
        }

        var district = await OrgUnitInsert.InsertAsync(connection, transaction, null, OrgUnitKind.District, "TX", "天心区", null, now, ct);
        var subDistrict = await OrgUnitInsert.InsertAsync(connection, transaction, district, OrgUnitKind.SubDistrict, "TX-DTP", "大托铺街道", null, now, ct);
        foreach (var (code, name, grids) in Villages)
        {
            var villageCode = $"TX-DTP-{code}";
            var village = await OrgUnitInsert.InsertAsync(connection, transaction, subDistrict, OrgUnitKind.Village, villageCode, name, null, now, ct);
            for (var i = 0; i < grids.Length; i++)
            {
                await OrgUnitInsert.InsertAsync(connection, transaction, village, OrgUnitKind.Grid,
                    $"{villageCode}-{i + 1:00}", $"{name}第{i + 1}网格", grids[i], now, ct);
            }
        }
        await transaction.CommitAsync(ct);
        return true;
    }
}
