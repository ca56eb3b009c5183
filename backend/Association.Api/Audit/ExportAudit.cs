using Association.Api.Platform.Database;
using Association.Api.Platform.Xlsx;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Audit;

/// <summary>What an export held, for its audit row: the unit (and member) it is of and the period or quarter, never personal data.</summary>
public sealed record ExportRecord(ExportKind Kind, long UnitId, string Parameters, long? MemberId = null);

/// <summary>
/// Sends a finished workbook after writing its audit row, so no sheet leaves without a trace and a failed audit sends
/// nothing. The sub-district reads the rows through <see cref="AuditApi"/>.
/// </summary>
public static class ExportAudit
{
    private const string Insert = """
        INSERT INTO data_exports (kind, unit_id, member_id, parameters, rows_written, by_user_id, at)
        VALUES (@kind, @unitId, @memberId, @parameters, @rows, @callerId, @now)
        """;

    public static async Task<FileStreamHttpResult> SendAsync(XlsxWorkbook book, int rows, ExportRecord record, string fileName,
        MySqlConnection connection, long callerId, TimeProvider time, CancellationToken ct)
    {
        var file = book.Finish();
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Insert, new
            {
                kind = record.Kind.ToString(), unitId = record.UnitId, memberId = record.MemberId, parameters = record.Parameters, rows, callerId,
                now = time.DbUtcNow(),
            }, cancellationToken: ct));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        return TypedResults.Stream(file, XlsxWorkbook.ContentType, FileName(fileName));
    }

    private static readonly HashSet<char> NotInFileNames = [.. Path.GetInvalidFileNameChars(), '\\', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>Unit names are typed by admins: nothing in a file name that a file system or a header would trip on.</summary>
    private static string FileName(string name)
    {
        var safe = new string([.. name.Where(c => !char.IsControl(c)).Select(c => NotInFileNames.Contains(c) ? '_' : c)]);
        return (safe.Length > 120 ? safe[..120] : safe) + ".xlsx";
    }
}
