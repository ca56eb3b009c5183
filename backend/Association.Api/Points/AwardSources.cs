using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>
/// What earned an award: a record we hold of the member's verified work (its id is the award's source id, so each
/// record earns once), or <see cref="Offline"/>, work we hold no record of, which an admin awards with a note.
/// </summary>
[JsonConverter(typeof(EnumNames<AwardSourceKind>))]
public enum AwardSourceKind
{
    /// <summary>A participation in a confirmed patrol (its patrol_members row): <see cref="WorkKind.PatrolCompleted"/>.</summary>
    Patrol,

    /// <summary>The same participation's whole hours: <see cref="WorkKind.PatrolHour"/>.</summary>
    PatrolHour,

    /// <summary>An accepted report by the member: <see cref="WorkKind.HazardConfirmed"/> or <see cref="WorkKind.InformationCollected"/>.</summary>
    GridReport,

    /// <summary>A dispute report the member was assigned and that was resolved: <see cref="WorkKind.DisputeResolved"/>.</summary>
    DisputeResolved,

    /// <summary>Publicity work by the member that was published: <see cref="WorkKind.PublicityPublished"/>.</summary>
    Publicity,

    /// <summary>The member's cover on an insurance policy: <see cref="WorkKind.InsuranceEnrolled"/>.</summary>
    InsuranceCoverage,

    /// <summary>A member's attended place at an event (its event_signups row): <see cref="WorkKind.EventAttended"/>.</summary>
    Event,

    /// <summary>Work without a record here (an event before events are kept, a paper sign-in sheet): an admin's award with a note.</summary>
    Offline,
}

/// <summary>The one check that an award's source is the awarded member's own verified work, in the caller's scope.</summary>
public static class AwardSources
{
    /// <summary>
    /// The org unit the source's work was done in, or NULL when the source is not a record of the member <c>m</c>'s
    /// verified work that matches the award: the row aliased <c>work</c> (columns <c>work_kind</c>, <c>work_day</c>,
    /// <c>source_kind</c>, <c>source_id</c>, <c>units</c>). "Verified" is what the record's own workflow decided: a
    /// confirmed patrol, an accepted report, published work, each decided by someone other than the member. The day of the
    /// work and its units are the record's, so an award cannot move the work into another day's or quarter's caps.
    /// </summary>
    internal const string SourceUnit = """
        CASE work.source_kind
          WHEN 'Patrol' THEN (
            SELECT p.grid_id FROM patrol_members pm JOIN patrols p ON p.id = pm.patrol_id
             WHERE pm.id = work.source_id AND pm.member_id = m.id AND p.status = 'Confirmed' AND NOT (p.decided_by <=> m.user_id)
               AND work.work_kind = 'PatrolCompleted' AND work.units = 1 AND DATE(p.started_at + INTERVAL 8 HOUR) = work.work_day)
          WHEN 'PatrolHour' THEN (
            SELECT p.grid_id FROM patrol_members pm JOIN patrols p ON p.id = pm.patrol_id
             WHERE pm.id = work.source_id AND pm.member_id = m.id AND p.status = 'Confirmed' AND NOT (p.decided_by <=> m.user_id)
               AND work.work_kind = 'PatrolHour' AND work.units = TIMESTAMPDIFF(HOUR, p.started_at, p.finished_at)
               AND DATE(p.started_at + INTERVAL 8 HOUR) = work.work_day)
          WHEN 'GridReport' THEN (
            SELECT r.grid_id FROM grid_reports r
             WHERE r.id = work.source_id AND r.reporter_member_id = m.id AND r.status IN ('Accepted', 'Assigned', 'Resolved', 'Closed')
               AND work.work_kind = CASE r.kind WHEN 'SafetyHazard' THEN 'HazardConfirmed' ELSE 'InformationCollected' END
               AND work.units = 1 AND DATE(r.created_at + INTERVAL 8 HOUR) = work.work_day)
          WHEN 'DisputeResolved' THEN (
            SELECT r.grid_id FROM grid_reports r
             WHERE r.id = work.source_id AND r.assigned_member_id = m.id AND r.kind = 'Dispute' AND r.status IN ('Resolved', 'Closed')
               AND work.work_kind = 'DisputeResolved' AND work.units = 1 AND DATE(r.created_at + INTERVAL 8 HOUR) = work.work_day)
          WHEN 'Publicity' THEN (
            SELECT w.grid_id FROM publicity_works w
             WHERE w.id = work.source_id AND w.member_id = m.id AND w.status = 'Published' AND NOT (w.decided_by <=> m.user_id)
               AND work.work_kind = 'PublicityPublished' AND work.units = 1 AND w.happened_on = work.work_day)
          WHEN 'Event' THEN (
            SELECT e.unit_id FROM event_signups s JOIN events e ON e.id = s.event_id
             WHERE s.id = work.source_id AND s.member_id = m.id AND s.attendance = 'Attended' AND NOT (e.attendance_by <=> m.user_id)
               AND work.work_kind = 'EventAttended' AND work.units = 1 AND DATE(e.starts_at + INTERVAL 8 HOUR) = work.work_day)
          WHEN 'InsuranceCoverage' THEN (
            SELECT p.unit_id FROM insurance_coverages c JOIN insurance_policies p ON p.id = c.policy_id
             WHERE c.id = work.source_id AND c.member_id = m.id AND NOT (c.added_by <=> m.user_id)
               AND work.work_kind = 'InsuranceEnrolled' AND work.units = 1 AND DATE(c.added_at + INTERVAL 8 HOUR) = work.work_day)
        END
        """;

    /// <summary>Whether the source passes <see cref="SourceUnit"/> and its unit is in the scope of <c>work.caller_id</c>.</summary>
    internal const string SourceIsMembersVerifiedWork = """
        (SELECT COUNT(*) FROM org_units source_unit WHERE source_unit.id = (
        """ + SourceUnit + ") AND " + Scope.WorkCallerSeesSource + ")";

    // One award's check, outside a batch: the award as the row aliased work.
    private const string CheckOne = """
        SELECT
        """ + " " + SourceIsMembersVerifiedWork + """

          FROM members m
          CROSS JOIN (SELECT CAST(@workKind AS CHAR(32)) AS work_kind, CAST(@workDay AS DATE) AS work_day,
                             CAST(@sourceKind AS CHAR(32)) AS source_kind, CAST(@sourceId AS SIGNED) AS source_id,
                             CAST(@units AS SIGNED) AS units, CAST(@callerId AS SIGNED) AS caller_id) work
         WHERE m.id = @memberId
        """;

    internal static async Task<bool> IsMembersVerifiedWorkAsync(MySqlConnection connection, MySqlTransaction transaction,
        AwardCommand award, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(CheckOne, new
        {
            workKind = award.WorkKind.ToString(),
            workDay = award.OccurredAt.ChinaDay().ToDateTime(TimeOnly.MinValue),
            sourceKind = award.SourceKind.ToString(),
            sourceId = award.SourceId,
            award.Units,
            award.CallerId,
            award.MemberId,
        }, transaction, cancellationToken: ct)) > 0;
}
