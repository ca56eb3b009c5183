using Association.Api.Audit;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>
/// The ledger as sheets for the office: a member's statement for a period (the member, and leaders and admins of the
/// member's grid) and every entry of a unit's members for a period. Streamed and audited.
/// </summary>
public static class PointExportsApi
{
    public static RouteGroupBuilder MapPointExportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/members/{memberId}/export", ExportMemberStatement)
            .WithSummary("A member's points entries from one China day to another (at most a year) as .xlsx, with the period's total (audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/units/{unitId}/export", ExportUnitPoints)
            .WithSummary("Every points entry of the members of a unit from one China day to another (at most a year) as .xlsx (audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private const string Member = """
        SELECT m.id, m.member_number, m.real_name, m.grid_id, g.name AS grid_name,
               (SELECT t.balance FROM member_point_totals t WHERE t.member_id = m.id) AS balance
          FROM members m
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = @memberId AND (m.user_id = @callerId OR
        """ + Scope.Sees + ")";

    private const string MemberEntries = """
        SELECT e.id, e.created_at, e.quarter, e.entry_kind, e.work_kind, e.points, e.requested_points, r.version AS rule_version,
               e.source_kind, e.source_id, e.reverses_entry_id, e.reason, e.note
          FROM point_entries e
          LEFT JOIN point_rules r ON r.id = e.rule_id
         WHERE e.member_id = @memberId AND e.created_at >= @from AND e.created_at < @until
         ORDER BY e.id
        """;

    // Entries belong to the member's grid of today: the ledger keeps who, not where.
    private const string UnitEntries = """
        SELECT e.id, e.created_at, e.quarter, e.entry_kind, e.work_kind, e.points, e.requested_points, r.version AS rule_version,
               e.source_kind, e.source_id, e.reverses_entry_id, e.reason, e.note,
               m.member_number, m.real_name, g.name AS grid_name
          FROM org_units target
          JOIN org_units g ON g.kind = 'Grid' AND g.path LIKE CONCAT(target.path, '%')
          JOIN members m ON m.grid_id = g.id
          JOIN point_entries e ON e.member_id = m.id AND e.created_at >= @from AND e.created_at < @until
          LEFT JOIN point_rules r ON r.id = e.rule_id
         WHERE target.id = @unitId AND
        """ + Scope.Sees + " ORDER BY e.created_at, e.id";

    private sealed class MemberRow
    {
        public long Id { get; init; }
        public string? MemberNumber { get; init; }
        public string? RealName { get; init; }
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public int? Balance { get; init; }
    }

    private sealed class EntryRow
    {
        public long Id { get; init; }
        public DateTime CreatedAt { get; init; }
        public string Quarter { get; init; } = "";
        public string EntryKind { get; init; } = "";
        public string? WorkKind { get; init; }
        public int Points { get; init; }
        public int? RequestedPoints { get; init; }
        public int? RuleVersion { get; init; }
        public string? SourceKind { get; init; }
        public long? SourceId { get; init; }
        public long? ReversesEntryId { get; init; }
        public string? Reason { get; init; }
        public string? Note { get; init; }
        public string? MemberNumber { get; init; }
        public string? RealName { get; init; }
        public string? GridName { get; init; }

        public object?[] Cells(bool withMember) =>
        [
            Id, CreatedAt, Quarter,
            .. withMember ? new object?[] { MemberNumber, RealName ?? MemberNames.Anonymous, GridName } : [],
            Enum.Parse<EntryKind>(EntryKind), WorkKind is null ? null : Enum.Parse<WorkKind>(WorkKind), Points, RequestedPoints, RuleVersion,
            SourceKind is null ? null : Enum.Parse<AwardSourceKind>(SourceKind), SourceId, ReversesEntryId, Reason, Note,
        ];
    }

    private static readonly XlsxColumn[] EntryColumns =
    [
        new("记录号", 10), new("记账时间", 20), new("季度", 9), new("类型", 8), new("工作类型", 16), new("积分", 7), new("申请积分", 9),
        new("规则版本", 9), new("来源", 12), new("来源编号", 10), new("冲正记录号", 11), new("事由", 30), new("备注", 30),
    ];

    private static readonly XlsxColumn[] MemberColumns = [new("会员编号", 16), new("姓名", 10), new("网格", 20)];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportMemberStatement(
        long memberId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, DateOnly? from = null, DateOnly? to = null)
    {
        if (!DayRange.TryResolve(from, to, time, out var period, out var invalid))
        {
            return invalid!;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var member = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(Member, new { memberId, callerId }, cancellationToken: ct));
        if (member is null)
        {
            return Problems.NotFound("membership.member.notFound");
        }
        await using var book = XlsxWorkbook.Create();
        var entries = book.AddSheet("积分明细", EntryColumns);
        var earned = 0L;
        var spent = 0L;
        await foreach (var row in connection.QueryUnbufferedAsync<EntryRow>(MemberEntries, new { memberId, from = period.FromUtc, until = period.UntilUtc }).WithCancellation(ct))
        {
            if (entries.IsFull)
            {
                return ExportLimits.TooManyRows();
            }
            entries.Add(row.Cells(withMember: false));
            if (row.EntryKind is nameof(EntryKind.Redemption) or nameof(EntryKind.Refund))
            {
                spent += row.Points;
            }
            else
            {
                earned += row.Points;
            }
        }
        var summary = book.AddSheet("汇总", [.. MemberColumns, new("期间", 24), new("期间所得积分", 13), new("期间兑换积分", 13), new("当前余额", 10), new("导出时间", 20)]);
        summary.Add(member.MemberNumber, member.RealName ?? MemberNames.Anonymous, member.GridName, period.ToString(), earned, spent, member.Balance ?? 0,
            time.GetUtcNow());
        return await ExportAudit.SendAsync(book, entries.Rows, new ExportRecord(ExportKind.MemberStatement, member.GridId, period.ToString(), memberId),
            $"积分明细-{member.MemberNumber}-{period}", connection, callerId, time, ct);
    }

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportUnitPoints(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, DateOnly? from = null, DateOnly? to = null)
    {
        if (!DayRange.TryResolve(from, to, time, out var period, out var invalid))
        {
            return invalid!;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var unitName = await UnitAccess.SeenNameAsync(connection, unitId, callerId, ct);
        if (unitName is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        await using var book = XlsxWorkbook.Create();
        var sheet = book.AddSheet("积分记录", [.. EntryColumns[..3], .. MemberColumns, .. EntryColumns[3..]]);
        if (!await sheet.AddAllAsync(connection.QueryUnbufferedAsync<EntryRow>(UnitEntries,
                           new { unitId, callerId, from = period.FromUtc, until = period.UntilUtc }), row => row.Cells(withMember: true), ct))
        {
            return ExportLimits.TooManyRows();
        }
        return await ExportAudit.SendAsync(book, sheet.Rows, new ExportRecord(ExportKind.UnitPoints, unitId, period.ToString()),
            $"积分记录-{unitName}-{period}", connection, callerId, time, ct);
    }
}
