using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Audit;

[JsonConverter(typeof(EnumNames<AuditKind>))]
public enum AuditKind
{
    /// <summary>A full ID or phone number asked for (revealed or refused), with the purpose given.</summary>
    Reveal,

    /// <summary>An insurance roster with full personal data exported for the insurer.</summary>
    RosterExport,

    /// <summary>A role assigned or withdrawn.</summary>
    RoleChange,

    /// <summary>A member's service certificate downloaded by someone other than the member.</summary>
    CertificateDownload,

    /// <summary>A sheet of the office's data exported (statements, rankings, coverage, patrols, reports, figures).</summary>
    Export,
}

/// <summary>
/// One audited act. <c>UnitId</c> is where it belongs (the member's grid, the policy's unit, the unit of the role);
/// the other fields are those of its kind.
/// </summary>
public sealed record AuditEntry(AuditKind Kind, long Id, DateTime At, long? ByUserId, long UnitId, long? MemberId, long? PolicyId, long? UserId,
    string? Field, string? Purpose, string? Outcome, string? Role, string? Change, int? MembersIncluded, int? MembersExcluded, long? CertificateId,
    ExportKind? Export, string? Parameters, int? Rows);
