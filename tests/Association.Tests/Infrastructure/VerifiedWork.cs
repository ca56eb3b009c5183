using Association.Api.Platform.Database;
using Dapper;

namespace Association.Tests.Infrastructure;

/// <summary>
/// Records of a member's verified work, as their workflows leave them (a confirmed patrol, an accepted report, published
/// publicity, an insurance cover), written directly so that points tests can award them by id without walking each
/// workflow; the workflows' own tests walk them through the API.
/// </summary>
public static class VerifiedWork
{
    private const string Patrol = """
        INSERT INTO patrols (grid_id, started_by, status, started_at, finished_at, decided_by, decided_at)
        SELECT m.grid_id, m.id, 'Confirmed', @startedAt, @finishedAt, @decidedBy, @now FROM members m WHERE m.id = @memberId;
        INSERT INTO patrol_members (id, patrol_id, member_id) VALUES (@participationId, LAST_INSERT_ID(), @memberId);
        SELECT LAST_INSERT_ID();
        """;

    private const string Report = """
        INSERT INTO grid_reports (grid_id, reporter_user_id, reporter_member_id, kind, description, urgency, status, content_check,
                                  deadline_at, assigned_member_id, created_at, updated_at)
        SELECT m.grid_id, m.user_id, m.id, @kind, '测试上报', 'Normal', @status, 'Pass', @now, @assigned, @createdAt, @now
          FROM members m WHERE m.id = @reporter;
        SELECT LAST_INSERT_ID();
        """;

    private const string Publicity = """
        INSERT INTO publicity_works (member_id, grid_id, kind, title, happened_on, status, decided_by, decided_at, created_at)
        SELECT m.id, m.grid_id, 'Event', '测试宣传', @happenedOn, 'Published', @decidedBy, @now, @now FROM members m WHERE m.id = @memberId;
        SELECT LAST_INSERT_ID();
        """;

    private const string Coverage = """
        INSERT INTO insurance_policies (insurer, policy_number, unit_id, coverage_start, coverage_end, premium_per_person_cents, created_by, created_at)
        SELECT '测试保险', @policyNumber, m.grid_id, @today, @today + INTERVAL 1 YEAR, 2000, @addedBy, @now FROM members m WHERE m.id = @memberId;
        INSERT INTO insurance_coverages (policy_id, member_id, kind, covered_from, added_by, added_at)
        VALUES (LAST_INSERT_ID(), @memberId, 'Purchase', @today, @addedBy, @now);
        SELECT LAST_INSERT_ID();
        """;

    /// <summary>
    /// A patrol in the member's grid, confirmed by <paramref name="decidedBy"/>; the id is that of the member's participation,
    /// the source of its awards. <paramref name="participationId"/> picks the id, for a test about a source still to come.
    /// </summary>
    public static async Task<long> ConfirmedPatrolAsync(this AssociationApp app, long memberId, long decidedBy, DateTimeOffset startedAt,
        int hours = 1, long? participationId = null)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>(Patrol, new
        {
            memberId, decidedBy, startedAt = startedAt.UtcDateTime, finishedAt = startedAt.UtcDateTime.AddHours(hours).AddMinutes(5),
            participationId, now = app.Clock.DbUtcNow(),
        });
        return participationId ?? id;
    }

    /// <summary>An accepted (or, for a dispute, resolved) report by <paramref name="reporter"/>.</summary>
    public static async Task<long> AcceptedReportAsync(this AssociationApp app, long reporter, DateTimeOffset createdAt, string kind = "SafetyHazard",
        long? resolvedBy = null)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(Report, new
        {
            reporter, kind, status = resolvedBy is null ? "Accepted" : "Resolved", assigned = resolvedBy, createdAt = createdAt.UtcDateTime,
            now = app.Clock.DbUtcNow(),
        });
    }

    /// <summary>Publicity work by the member, published by <paramref name="decidedBy"/>.</summary>
    public static async Task<long> PublishedPublicityAsync(this AssociationApp app, long memberId, long decidedBy, DateOnly happenedOn)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(Publicity, new
        {
            memberId, decidedBy, happenedOn = happenedOn.ToDateTime(TimeOnly.MinValue), now = app.Clock.DbUtcNow(),
        });
    }

    /// <summary>The member's cover on a new policy of their grid, added now by <paramref name="addedBy"/>.</summary>
    public static async Task<long> InsuranceCoverageAsync(this AssociationApp app, long memberId, long addedBy)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(Coverage, new
        {
            memberId, addedBy, policyNumber = Guid.NewGuid().ToString("N"), today = app.Clock.Today.ToDateTime(TimeOnly.MinValue), now = app.Clock.DbUtcNow(),
        });
    }
}
