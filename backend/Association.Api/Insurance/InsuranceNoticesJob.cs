using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Insurance;

/// <summary>
/// Daily: policies about to end, and members still uncovered past the limit, become notices for the
/// admins of the unit concerned (shown by GET /api/insurance/notices), summed up in one notification a day for each
/// of them; members whose cover ends soon are told once per policy. A notice is unique per kind, subject and day, and
/// each notification per user and event, so running the job twice, or on two instances, adds nothing.
/// </summary>
public sealed class InsuranceNoticesJob(MySqlDataSource db, IOptions<InsuranceOptions> options, TimeProvider time)
{
    private const string PoliciesEnding = """
        INSERT INTO admin_notices (unit_id, kind, subject_id, notice_day, message, created_at)
        SELECT p.unit_id, 'PolicyExpiring', p.id, @day,
               CONCAT(p.insurer, '保单 ', p.policy_number, ' 将于 ', DATE_FORMAT(p.coverage_end, '%Y-%m-%d'), ' 到期'), @now
          FROM insurance_policies p
         WHERE p.coverage_end >= @day AND p.coverage_end <= @until
        ON DUPLICATE KEY UPDATE admin_notices.id = admin_notices.id
        """;

    private const string MembersUncovered = """
        INSERT INTO admin_notices (unit_id, kind, subject_id, notice_day, message, created_at)
        SELECT m.grid_id, 'MemberUncovered', m.id, @day,
               CONCAT('会员 ', m.member_number, ' 于 ', DATE_FORMAT(m.joined_on, '%Y-%m-%d'), ' 入会，尚未参加治安保险'), @now
          FROM members m
         WHERE m.status = 'Active' AND m.joined_on <= @latestJoin AND NOT
        """ + InsuranceSql.CoveredOn + """
        ON DUPLICATE KEY UPDATE admin_notices.id = admin_notices.id
        """;

    /// <param name="day">The China day to report for; today when null (as the schedule calls it).</param>
    /// <returns>Rows the statements touched (a repeat touches the existing notices without changing them).</returns>
    public async Task<int> RunAsync(DateOnly? day, CancellationToken ct)
    {
        var today = day ?? time.Today();
        var args = new
        {
            day = today.ToDateTime(TimeOnly.MinValue),
            until = today.AddDays(options.Value.ExpiryWarningDays).ToDateTime(TimeOnly.MinValue),
            latestJoin = today.AddDays(-options.Value.CoverWithinDays).ToDateTime(TimeOnly.MinValue),
            now = time.DbUtcNow(),
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = await connection.ExecuteAsync(new CommandDefinition(PoliciesEnding, args, transaction, cancellationToken: ct));
        added += await connection.ExecuteAsync(new CommandDefinition(MembersUncovered, args, transaction, cancellationToken: ct));
        var tell = new DynamicParameters(args);
        tell.AddDynamicParams(InsuranceNotices.Words);
        await connection.ExecuteAsync(new CommandDefinition(InsuranceNotices.Digest + ";\n" + InsuranceNotices.Ending, tell, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return added;
    }
}
