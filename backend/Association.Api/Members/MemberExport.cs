using Association.Api.Audit;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// The member search as an .xlsx sheet for the office: Chinese headers and words, masked numbers only, streamed and
/// audited under the caller's highest unit (a search spans every unit the caller sees).
/// </summary>
public static class MemberExport
{
    public const string ContentType = XlsxWorkbook.ContentType;

    private const string CallersTopUnit = """
        SELECT u.id FROM role_assignments ra JOIN org_units u ON u.id = ra.org_unit_id
         WHERE ra.user_id = @callerId ORDER BY LENGTH(u.path), u.id LIMIT 1
        """;

    private static readonly XlsxColumn[] Columns =
    [
        new("会员编号", 16), new("姓名", 10), new("网格", 20), new("手机", 14), new("身份证号", 22), new("状态", 8), new("入会日期", 11),
        new("红袖章发放日期", 14), new("志愿角色", 24),
    ];

    private static object?[] Cells(MemberView m) =>
    [
        m.MemberNumber, m.RealName ?? MemberNames.Anonymous, m.GridName, m.PhoneMasked, m.IdNumberMasked, m.Status, m.JoinedOn, m.ArmbandIssuedOn,
        string.Join("、", m.VolunteerRoles.Select(r => EnumLabels.Chinese(r))),
    ];

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> SendAsync(MySqlConnection connection, string search, DynamicParameters args,
        string filters, long callerId, TimeProvider time, CancellationToken ct)
    {
        var unitId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(CallersTopUnit, new { callerId }, cancellationToken: ct));
        if (unitId is null)
        {
            return Problems.Forbidden("membership.export.notStaff");
        }
        args.Add("limit", XlsxSheet.MaxRows + 1);
        await using var book = XlsxWorkbook.Create();
        var sheet = book.AddSheet("会员名单", Columns);
        if (!await sheet.AddAllAsync(connection.QueryUnbufferedAsync<MembersApi.MemberRow>(search, args), row => Cells(row.ToView()), ct))
        {
            return ExportLimits.TooManyRows();
        }
        return await ExportAudit.SendAsync(book, sheet.Rows, new ExportRecord(ExportKind.MemberList, unitId.Value, filters), "会员名单",
            connection, callerId, time, ct);
    }
}
