using Association.Api.Members;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using MySqlConnector;

namespace Association.Api.Insurance;

/// <summary>
/// The roster of a policy for the insurer, with full names and ID numbers. Only a SubDistrictAdmin of
/// the buying unit's sub-district may take it, only members who consented to sharing with the insurer
/// appear with their data (the others are listed as excluded, with the reason), and every export is
/// written to an append-only audit table.
/// </summary>
public static class InsuranceExportApi
{
    public static RouteGroupBuilder MapInsuranceExportApi(this RouteGroupBuilder api)
    {

        api.MapGet("/{id}/roster", ExportPolicyRoster)
            .WithSummary("The policy's roster for the insurer as .xlsx, full names and ID numbers of consenting members (SubDistrictAdmin, audited)")
            .Produces(StatusCodes.Status200OK, contentType: MemberExport.ContentType)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string Access = """
        SELECT p.id, p.policy_number, (
        """ + Scope.Sees + ") AS sees, (" + Scope.SubDistrictAdminOf + """
        ) AS allowed
          FROM insurance_policies p JOIN org_units target ON target.id = p.unit_id
         WHERE p.id = @id
        """;

    private const string Roster = """
        SELECT m.id AS member_id, m.member_number, m.real_name, m.id_number_cipher, m.id_number_key_id, m.status,
               m.insurer_sharing_consent, c.kind, c.covered_from
          FROM insurance_coverages c JOIN members m ON m.id = c.member_id
         WHERE c.policy_id = @id
         ORDER BY m.id
        """;

    private const string Audit = """
        INSERT INTO insurance_exports (policy_id, by_user_id, members_included, members_excluded, at)
        VALUES (@id, @callerId, @included, @excluded, @now)
        """;

    private sealed class AccessRow
    {
        public long Id { get; init; }
        public string PolicyNumber { get; init; } = "";
        public bool Sees { get; init; }
        public bool Allowed { get; init; }
    }

    private sealed class RosterRow
    {
        public long MemberId { get; init; }
        public string? MemberNumber { get; init; }
        public string? RealName { get; init; }
        public byte[]? IdNumberCipher { get; init; }
        public string? IdNumberKeyId { get; init; }
        public string Status { get; init; } = "";
        public bool InsurerSharingConsent { get; init; }
        public string Kind { get; init; } = "";
        public DateTime CoveredFrom { get; init; }
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportPolicyRoster(
        long id, HttpContext http, MySqlDataSource db, FieldCipher cipher, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var policy = await connection.QuerySingleOrDefaultAsync<AccessRow>(new CommandDefinition(Access, new { id, callerId }, cancellationToken: ct));
        if (policy is null || !policy.Sees)
        {
            return Problems.NotFound("insurance.policy.notFound");
        }
        if (!policy.Allowed)
        {
            return Problems.Forbidden("insurance.roster.notSubDistrictAdmin");
        }
        var rows = (await connection.QueryAsync<RosterRow>(new CommandDefinition(Roster, new { id }, cancellationToken: ct))).ToList();
        var sheet = rows.Select(r =>
        {
            var excluded = ExclusionReason(r);
            return new Dictionary<string, object?>
            {
                ["会员编号"] = r.MemberNumber,
                ["姓名"] = excluded is null ? r.RealName : null,
                ["身份证号"] = excluded is null ? cipher.Decrypt(new EncryptedField(r.IdNumberCipher!, r.IdNumberKeyId!), PersonalData.IdNumberContext) : null,
                ["参保方式"] = r.Kind == "Purchase" ? "投保" : "批改加保",
                ["起保日期"] = r.CoveredFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["说明"] = excluded ?? "",
            };
        }).ToList();
        var excludedCount = rows.Count(r => ExclusionReason(r) is not null);
        await connection.ExecuteAsync(new CommandDefinition(Audit,
            new { id, callerId, included = rows.Count - excludedCount, excluded = excludedCount, now = time.DbUtcNow() }, cancellationToken: ct));
        using var stream = new MemoryStream();
        stream.SaveAs(sheet);
        return TypedResults.File(stream.ToArray(), MemberExport.ContentType, $"roster-{policy.PolicyNumber}.xlsx");
    }

    private static string? ExclusionReason(RosterRow row) =>
        row.Status == nameof(MemberStatus.Erased) || row.IdNumberCipher is null ? "未列入：会员已申请删除个人信息"
        : !row.InsurerSharingConsent ? "未列入：会员未同意向保险公司提供个人信息"
        : null;
}
