using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Audit;

/// <summary>
/// The audit a SubDistrictAdmin reads: reveals of personal numbers, roster and data exports, role changes and certificate downloads by staff in their
/// sub-district, newest first, filtered by kind and period. The trails are append-only tables written by the acts.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("", ListAudit)
            .WithSummary("Reveals, roster and data exports, role changes and certificate downloads in my sub-district, newest first (SubDistrictAdmin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }

    private const string Entries = """
        SELECT * FROM (
            SELECT 'Reveal' AS kind, v.id, v.at, v.by_user_id, m.grid_id AS unit_id, v.member_id, NULL AS policy_id, NULL AS user_id,
                   v.field, v.purpose, v.outcome, NULL AS role, NULL AS change_kind, NULL AS members_included, NULL AS members_excluded,
                   NULL AS certificate_id, NULL AS export_kind, NULL AS parameters, NULL AS rows_written
              FROM personal_data_reveals v
              JOIN members m ON m.id = v.member_id
              JOIN org_units target ON target.id = m.grid_id
             WHERE (@kind IS NULL OR @kind = 'Reveal') AND
        """ + Scope.SubDistrictAdminOf + """
            UNION ALL
            SELECT 'RosterExport', x.id, x.at, x.by_user_id, p.unit_id, NULL, x.policy_id, NULL,
                   NULL, NULL, NULL, NULL, NULL, x.members_included, x.members_excluded, NULL, NULL, NULL, NULL
              FROM insurance_exports x
              JOIN insurance_policies p ON p.id = x.policy_id
              JOIN org_units target ON target.id = p.unit_id
             WHERE (@kind IS NULL OR @kind = 'RosterExport') AND
        """ + Scope.SubDistrictAdminOf + """
            UNION ALL
            SELECT 'RoleChange', c.id, c.changed_at, c.changed_by, c.org_unit_id, NULL, NULL, c.user_id,
                   NULL, NULL, NULL, c.role, c.change_kind, NULL, NULL, NULL, NULL, NULL, NULL
              FROM role_changes c
              JOIN org_units target ON target.id = c.org_unit_id
             WHERE (@kind IS NULL OR @kind = 'RoleChange') AND
        """ + Scope.SubDistrictAdminOf + """
            UNION ALL
            SELECT 'CertificateDownload', d.id, d.at, d.by_user_id, c.grid_id, c.member_id, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL, c.id, NULL, NULL, NULL
              FROM certificate_downloads d
              JOIN service_certificates c ON c.id = d.certificate_id
              JOIN org_units target ON target.id = c.grid_id
             WHERE (@kind IS NULL OR @kind = 'CertificateDownload') AND
        """ + Scope.SubDistrictAdminOf + """
            UNION ALL
            SELECT 'Export', x.id, x.at, x.by_user_id, x.unit_id, x.member_id, NULL, NULL,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, x.kind, x.parameters, x.rows_written
              FROM data_exports x
              JOIN org_units target ON target.id = x.unit_id
             WHERE (@kind IS NULL OR @kind = 'Export') AND
        """ + Scope.SubDistrictAdminOf + """
        ) entries
         WHERE (@from IS NULL OR entries.at >= @from) AND (@until IS NULL OR entries.at < @until)
         ORDER BY entries.at DESC, entries.id DESC
         LIMIT @limit OFFSET @offset
        """;

    private sealed record EntryRow(string Kind, long Id, DateTime At, long? ByUserId, long UnitId, long? MemberId, long? PolicyId, long? UserId,
        string? Field, string? Purpose, string? Outcome, string? Role, string? ChangeKind, int? MembersIncluded, int? MembersExcluded,
        long? CertificateId, string? ExportKind, string? Parameters, int? RowsWritten)
    {
        public AuditEntry ToView() => new(Enum.Parse<AuditKind>(Kind), Id, At, ByUserId, UnitId, MemberId, PolicyId, UserId,
            Field, Purpose, Outcome, Role, ChangeKind, MembersIncluded, MembersExcluded, CertificateId,
            ExportKind is null ? null : Enum.Parse<ExportKind>(ExportKind), Parameters, RowsWritten);
    }

    public static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem, ProblemHttpResult>> ListAudit(
        HttpContext http, MySqlDataSource db, CancellationToken ct, AuditKind? kind = null, DateTimeOffset? from = null, DateTimeOffset? until = null,
        [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await UnitAccess.IsSubDistrictAdminAnywhereAsync(connection, callerId, ct))
        {
            return Problems.Forbidden("audit.notSubDistrictAdmin");
        }
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(Entries, new
        {
            callerId, kind = kind?.ToString(), from = from?.UtcDateTime, until = until?.UtcDateTime, limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<AuditEntry>>(rows.Select(r => r.ToView()).ToList());
    }
}
