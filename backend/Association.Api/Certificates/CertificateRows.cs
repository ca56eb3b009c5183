using Association.Api.Members;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Certificates;

/// <summary>
/// Certificates as their readers may see them. The holder reads their own; anyone holding a role over the grid the
/// certificate was issued in reads it too, with the holder's name masked. The association is the grid's sub-district's.
/// </summary>
internal static class CertificateRows
{
    private const string Columns = """
        SELECT c.id, c.serial, c.member_id, m.member_number, m.real_name, COALESCE(m.user_id = @callerId, FALSE) AS own,
               target.name AS grid_name, sub_district.name AS sub_district_name, c.period_from, c.period_until, c.minutes,
               c.events_attended, c.patrols, c.points_earned, c.awards, c.issued_at, c.revoked_at, c.revoke_reason
          FROM service_certificates c
          JOIN members m ON m.id = c.member_id
          JOIN org_units target ON target.id = c.grid_id
          JOIN org_units village ON village.id = target.parent_id
          JOIN org_units sub_district ON sub_district.id = village.parent_id
        """;

    private const string Readable = "(COALESCE(m.user_id = @callerId, FALSE) OR " + Scope.Sees + ")";

    internal const string ById = Columns + " WHERE c.id = @id AND " + Readable;

    internal const string ByIdForUpdate = ById + " FOR UPDATE";

    /// <summary>No scope: whoever holds the serial may verify it, and learns only what the verification shows.</summary>
    internal const string BySerial = Columns + " WHERE c.serial = @serial";

    internal const string OfMember = Columns + """
         WHERE c.member_id = COALESCE(@memberId, (SELECT mine.id FROM members mine WHERE mine.user_id = @callerId)) AND
        """ + " " + Readable + " ORDER BY c.id DESC LIMIT @limit OFFSET @offset";

    internal sealed class CertificateRow
    {
        public long Id { get; init; }
        public string Serial { get; init; } = "";
        public long MemberId { get; init; }
        public string? MemberNumber { get; init; }
        public string? RealName { get; init; }
        public bool Own { get; init; }
        public string GridName { get; init; } = "";
        public string SubDistrictName { get; init; } = "";
        public DateTime PeriodFrom { get; init; }
        public DateTime PeriodUntil { get; init; }
        public int Minutes { get; init; }
        public int EventsAttended { get; init; }
        public int Patrols { get; init; }
        public int PointsEarned { get; init; }
        public string Awards { get; init; } = "[]";
        public DateTime IssuedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
        public string? RevokeReason { get; init; }

        public string AssociationName => SubDistrictName + "平安创建协会";

        /// <summary>In full for the holder only; an erased member's name is gone for everyone.</summary>
        public string HolderName => Own && RealName is { Length: > 0 } name ? name : MemberNames.Masked(RealName);

        public CertificateFigures Figures =>
            CertificateFiguresQuery.Of(Minutes, EventsAttended, Patrols, PointsEarned, CertificateFiguresQuery.ReadAwards(Awards));

        public string VerifyUrl(CertificateOptions options) => options.VerifyBaseUrl + Serial;

        public CertificateView ToView(CertificateOptions options) => new(Id, CertificateSerials.Printed(Serial), MemberId, MemberNumber, HolderName,
            GridName, DateOnly.FromDateTime(PeriodFrom), DateOnly.FromDateTime(PeriodUntil), Figures, IssuedAt, RevokedAt, RevokeReason,
            VerifyUrl(options), $"/api/certificates/{Id}/pdf");

        public CertificateVerification ToVerification() => new(CertificateSerials.Printed(Serial), MemberNames.Masked(RealName), MemberNumber,
            GridName, AssociationName, DateOnly.FromDateTime(PeriodFrom), DateOnly.FromDateTime(PeriodUntil), Figures, IssuedAt,
            RevokedAt is not null, RevokedAt);

        public CertificateDocument ToDocument(CertificateOptions options) => new(HolderName, MemberNumber, GridName, AssociationName,
            DateOnly.FromDateTime(PeriodFrom), DateOnly.FromDateTime(PeriodUntil), Figures, IssuedAt, Serial, VerifyUrl(options));
    }

    internal static Task<CertificateRow?> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, long id, long callerId,
        CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(sql, new { id, callerId }, transaction, cancellationToken: ct));
}
