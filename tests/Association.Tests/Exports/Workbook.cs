using System.Net;
using Association.Api.Platform.Xlsx;
using MiniExcelLibs;

namespace Association.Tests.Exports;

/// <summary>An exported workbook read back by another library, sheet by sheet, rows by their Chinese headers.</summary>
public sealed class Workbook
{
    private readonly Dictionary<string, List<IDictionary<string, object?>>> _sheets;

    private Workbook(Dictionary<string, List<IDictionary<string, object?>>> sheets) => _sheets = sheets;

    public IReadOnlyList<string> SheetNames => [.. _sheets.Keys];

    public IReadOnlyList<IDictionary<string, object?>> this[string sheet] => _sheets[sheet];

    public static async Task<Workbook> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(XlsxWorkbook.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        return Read(await response.Content.ReadAsByteArrayAsync());
    }

    public static Workbook Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var sheets = new Dictionary<string, List<IDictionary<string, object?>>>();
        foreach (var name in stream.GetSheetNames())
        {
            stream.Position = 0;
            sheets[name] = [.. stream.Query(useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>()];
        }
        return new Workbook(sheets);
    }
}
