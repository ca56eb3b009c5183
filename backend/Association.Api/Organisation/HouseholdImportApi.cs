using System.Globalization;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using MySqlConnector;

namespace Association.Api.Organisation;

/// <summary>
/// Household counts from an .xlsx sheet with the columns code (or 网格编码) and households (or 户数).
/// Every row is checked first; one bad row and nothing is written, with every bad row reported.
/// </summary>
public static class HouseholdImportApi
{
    public const int MaxRows = 5000;

    public static RouteGroupBuilder MapHouseholdImportApi(this RouteGroupBuilder api)
    {

        // Bearer tokens, not cookies, authenticate this API, so there is no cross-site form to guard against.
        api.MapPost("/import", ImportHouseholds)
            .WithSummary("Set grid household counts from an .xlsx sheet (columns: code, households); all rows or none")
            .DisableAntiforgery()
            .ProducesValidationProblem();

        return api;
    }

    private const string GridsByCode = """
        SELECT target.id, target.code, target.kind, (
        """ + Scope.AdministersBelow + """
        ) AS allowed
          FROM org_units target
         WHERE target.code IN @codes
        """;

    private const string SetHouseholds = "UPDATE org_units SET households = @households, updated_at = @now WHERE id = @id";

    private sealed class GridRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Kind { get; init; } = "";
        public bool Allowed { get; init; }
    }

    private sealed record SheetRow(int Line, string Code, string HouseholdsText);

    public static async Task<Results<Ok<ImportResult>, ValidationProblem>> ImportHouseholds(
        IFormFile? file, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.Invalid("file", "org.import.file.missing");
        }
        List<SheetRow> sheet;
        try
        {
            await using var stream = file.OpenReadStream();
            using var buffered = new MemoryStream();
            await stream.CopyToAsync(buffered, ct);
            buffered.Position = 0;
            sheet = ReadSheet(buffered);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or InvalidOperationException or NotSupportedException
                                       or System.Xml.XmlException or ArgumentException)
        {
            return Problems.Invalid("file", "org.import.file.notASheet");
        }
        if (sheet.Count is 0 or > MaxRows)
        {
            return Problems.Invalid("file", "org.import.file.rows", MaxRows);
        }

        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var grids = (await connection.QueryAsync<GridRow>(new CommandDefinition(GridsByCode,
                new { codes = sheet.Select(r => r.Code).Distinct().ToList(), callerId }, transaction, cancellationToken: ct)))
            .ToDictionary(g => g.Code, StringComparer.Ordinal);

        var errors = new List<FieldError>();
        var updates = new List<(long Id, int Households)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in sheet)
        {
            var problem = Check(row, grids, seen, out var households);
            if (problem is not null)
            {
                errors.Add(new FieldError($"row {row.Line}", problem, row.Line, row.Code, row.HouseholdsText));
            }
            else
            {
                updates.Add((grids[row.Code].Id, households));
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var now = time.DbUtcNow();
        foreach (var (id, households) in updates)
        {
            await connection.ExecuteAsync(new CommandDefinition(SetHouseholds, new { id, households, now }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new ImportResult(updates.Count));
    }

    /// <returns>Null, or the code of what is wrong with the row; its message names the line, code and households.</returns>
    private static string? Check(SheetRow row, Dictionary<string, GridRow> grids, HashSet<string> seen, out int households)
    {
        households = 0;
        if (row.Code.Length == 0)
        {
            return "org.import.row.codeEmpty";
        }
        if (!seen.Add(row.Code))
        {
            return "org.import.row.codeRepeated";
        }
        if (!grids.TryGetValue(row.Code, out var grid) || grid.Kind != nameof(OrgUnitKind.Grid))
        {
            return "org.import.row.noGrid";
        }
        if (!grid.Allowed)
        {
            return "org.import.row.notAdministered";
        }
        if (!int.TryParse(row.HouseholdsText, NumberStyles.None, CultureInfo.InvariantCulture, out households) || households > 1_000_000)
        {
            return "org.import.row.households";
        }
        return null;
    }

    private static List<SheetRow> ReadSheet(Stream stream)
    {
        var rows = new List<SheetRow>();
        var line = 1;
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX))
        {
            line++;
            var code = Cell(row, "code", "网格编码");
            var households = Cell(row, "households", "户数");
            if (code.Length == 0 && households.Length == 0)
            {
                continue;
            }
            rows.Add(new SheetRow(line, code, households));
            if (rows.Count > MaxRows)
            {
                break;
            }
        }
        return rows;
    }

    private static string Cell(IDictionary<string, object?> row, params string[] names)
    {
        foreach (var name in names)
        {
            var key = row.Keys.FirstOrDefault(k => string.Equals(k?.Trim(), name, StringComparison.OrdinalIgnoreCase));
            if (key is not null)
            {
                return Convert.ToString(row[key], CultureInfo.InvariantCulture)?.Trim() ?? "";
            }
        }
        throw new InvalidDataException($"Column {names[0]} is missing.");
    }
}
