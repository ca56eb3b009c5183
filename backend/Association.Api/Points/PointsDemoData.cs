using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>Sensible default rules for the demo sub-district, in force from the day the caller names.</summary>
public static class PointsDemoData
{
    private static readonly (WorkKind Kind, int Points, int? DailyCap, int? QuarterlyCap)[] Defaults =
    [
        (WorkKind.PatrolCompleted, 10, 20, 300),
        (WorkKind.PatrolHour, 5, 20, 300),
        (WorkKind.HazardConfirmed, 15, 45, 450),
        (WorkKind.DisputeResolved, 20, 60, 600),
        (WorkKind.InformationCollected, 5, 15, 150),
        (WorkKind.PublicityPublished, 10, 20, 200),
        (WorkKind.EventAttended, 5, 10, 100),
        (WorkKind.InsuranceEnrolled, 5, null, 5),
    ];

    private const string InsertRule = """
        INSERT INTO point_rules (sub_district_id, work_kind, version, points_per_unit, daily_cap, quarterly_cap, effective_from, created_by, created_at)
        SELECT s.id, @kind, 1, @points, @dailyCap, @quarterlyCap, @effectiveFrom, NULL, @now
          FROM org_units s
         WHERE s.code = @subDistrictCode
           AND NOT EXISTS (SELECT 1 FROM point_rules r WHERE r.sub_district_id = s.id AND r.work_kind = @kind)
        """;

    public static async Task SeedAsync(MySqlDataSource db, DateOnly effectiveFrom, DateTime now, string subDistrictCode = "TX-DTP", CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var (kind, points, dailyCap, quarterlyCap) in Defaults)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertRule,
                new { kind = kind.ToString(), points, dailyCap, quarterlyCap, effectiveFrom = effectiveFrom.ToDateTime(TimeOnly.MinValue), now, subDistrictCode }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
    }
}
