using Association.Api.Notifications;
using Dapper;
using MySqlConnector;

namespace Association.Api.Insurance;

/// <summary>What members and admins are told about insurance, as notifications in the transaction that caused it.</summary>
internal static class InsuranceNotices
{
    // Members this statement added to the policy (added_at is the write's now).
    private const string Covered = Notices.InsertInto + """
        SELECT m.user_id, 'InsuranceCovered', CONCAT('insurance-covered:', p.id), @title,
               REPLACE(REPLACE(REPLACE(@body, '{0}', p.insurer), '{1}', DATE_FORMAT(GREATEST(c.covered_from, p.coverage_start), '%Y年%c月%e日')),
                       '{2}', DATE_FORMAT(p.coverage_end, '%Y年%c月%e日')),
               '/api/insurance/me', @now, 'Pending'
          FROM insurance_coverages c
          JOIN insurance_policies p ON p.id = c.policy_id
          JOIN members m ON m.id = c.member_id
         WHERE c.policy_id = @policyId AND c.added_at = @now AND m.user_id IS NOT NULL
        """ + Notices.SkipTold;

    /// <summary>Members of policies ending soon who hold no later cover: told once per policy.</summary>
    public const string Ending = Notices.InsertInto + """
        SELECT m.user_id, 'InsuranceEnding', CONCAT('insurance-ending:', p.id), @endingTitle,
               REPLACE(REPLACE(@endingBody, '{0}', p.insurer), '{1}', DATE_FORMAT(p.coverage_end, '%Y年%c月%e日')),
               '/api/insurance/me', @now, 'Pending'
          FROM insurance_policies p
          JOIN insurance_coverages c ON c.policy_id = p.id
          JOIN members m ON m.id = c.member_id
         WHERE p.coverage_end >= @day AND p.coverage_end <= @until AND m.status = 'Active' AND m.user_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM insurance_coverages later JOIN insurance_policies lp ON lp.id = later.policy_id
                            WHERE later.member_id = m.id AND lp.coverage_end > p.coverage_end)
        """ + Notices.SkipTold;

    /// <summary>
    /// The day's admin notices as one digest per person holding a role on their units or above, rather than one
    /// message per uncovered member: a sub-district admin would otherwise get hundreds a day.
    /// </summary>
    public const string Digest = Notices.InsertInto + """
        SELECT ra.user_id, 'InsuranceNotice', CONCAT('insurance-digest:', DATE_FORMAT(@day, '%Y-%m-%d')), @digestTitle,
               REPLACE(REPLACE(@digestBody,
                   '{0}', COUNT(DISTINCT CASE WHEN n.kind = 'PolicyExpiring' THEN n.id END)),
                   '{1}', COUNT(DISTINCT CASE WHEN n.kind = 'MemberUncovered' THEN n.id END)),
               '/api/insurance/notices', @now, 'Pending'
          FROM admin_notices n
          JOIN org_units target ON target.id = n.unit_id
          JOIN org_units au ON target.path LIKE CONCAT(au.path, '%')
          JOIN role_assignments ra ON ra.org_unit_id = au.id
         WHERE n.notice_day = @day
         GROUP BY ra.user_id
        """ + Notices.SkipTold;

    public static object Words => new
    {
        endingTitle = Notices.Title(NotificationKind.InsuranceEnding),
        endingBody = Notices.Body(NotificationKind.InsuranceEnding),
        digestTitle = Notices.Title(NotificationKind.InsuranceNotice),
        digestBody = Notices.Body(NotificationKind.InsuranceNotice),
    };

    public static Task TellCoveredAsync(MySqlConnection connection, MySqlTransaction transaction, long policyId, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(Covered, new
        {
            policyId, now, title = Notices.Title(NotificationKind.InsuranceCovered), body = Notices.Body(NotificationKind.InsuranceCovered),
        }, transaction, cancellationToken: ct));
}
