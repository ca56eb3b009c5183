using System.Globalization;
using System.Text;
using System.Xml;
using Association.Api.Platform.Errors;

namespace Association.Api.Platform.Xlsx;

/// <summary>A column: its Chinese header and its width in Excel's character units (a Chinese character takes two).</summary>
public sealed record XlsxColumn(string Header, int Width = 12);

/// <summary>
/// One sheet being written: a frozen, filterable header row, then rows as they come. Times are written as text in China
/// time, days as yyyy-MM-dd, enums in Chinese, yes/no as 是/否, numbers as numbers.
/// </summary>
public sealed class XlsxSheet
{
    /// <summary>Excel's rows per sheet, less the header.</summary>
    public const int MaxRows = 1_048_575;

    internal const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    internal static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), CloseOutput = true };

    private readonly Stream _stream;
    private readonly XmlWriter _xml;
    private readonly IReadOnlyList<XlsxColumn> _columns;
    private readonly string[] _letters;
    private bool _ended;

    internal XlsxSheet(Stream stream, IReadOnlyList<XlsxColumn> columns)
    {
        _stream = stream;
        _columns = columns;
        _letters = [.. Enumerable.Range(0, columns.Count).Select(ColumnLetters)];
        _xml = XmlWriter.Create(stream, XmlSettings);
        _xml.WriteStartDocument(standalone: true);
        _xml.WriteStartElement("worksheet", Main);
        _xml.WriteRaw($"""<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>""");
        _xml.WriteStartElement("cols", Main);
        for (var i = 0; i < columns.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            _xml.WriteRaw($"""<col min="{n}" max="{n}" width="{columns[i].Width.ToString(CultureInfo.InvariantCulture)}" customWidth="1"/>""");
        }
        _xml.WriteEndElement();
        _xml.WriteStartElement("sheetData", Main);
        WriteRow(columns.Select(c => (object?)c.Header).ToArray(), XlsxStyles.Header);
    }

    /// <summary>Data rows written so far.</summary>
    public int Rows { get; private set; }

    public bool IsFull => Rows >= MaxRows;

    /// <summary>Writes one data row; cells beyond the columns are ignored, missing ones left empty.</summary>
    public void Add(params object?[] cells)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The sheet is full; check IsFull first.");
        }
        WriteRow(cells, XlsxStyles.Body);
        Rows++;
    }

    /// <summary>Writes every row as it comes; false, with the rest left unread, when the sheet fills up first.</summary>
    public async Task<bool> AddAllAsync<T>(IAsyncEnumerable<T> rows, Func<T, object?[]> cells, CancellationToken ct)
    {
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (IsFull)
            {
                return false;
            }
            Add(cells(row));
        }
        return true;
    }

    internal void End()
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        _xml.WriteEndElement();
        _xml.WriteRaw($"""<autoFilter ref="A1:{_letters[^1]}{(Rows + 1).ToString(CultureInfo.InvariantCulture)}"/>""");
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
        _xml.Dispose();
    }

    internal void Abandon()
    {
        _ended = true;
        _stream.Dispose();
    }

    private void WriteRow(object?[] cells, int style)
    {
        var rowNumber = (Rows + (style == XlsxStyles.Header ? 1 : 2)).ToString(CultureInfo.InvariantCulture);
        _xml.WriteStartElement("row", Main);
        _xml.WriteAttributeString("r", rowNumber);
        for (var i = 0; i < _columns.Count && i < cells.Length; i++)
        {
            if (cells[i] is not { } value)
            {
                continue;
            }
            _xml.WriteStartElement("c", Main);
            _xml.WriteAttributeString("r", _letters[i] + rowNumber);
            _xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
            if (Number(value) is { } number)
            {
                _xml.WriteElementString("v", Main, number);
            }
            else
            {
                _xml.WriteAttributeString("t", "inlineStr");
                _xml.WriteStartElement("is", Main);
                _xml.WriteStartElement("t", Main);
                _xml.WriteAttributeString("xml", "space", null, "preserve");
                _xml.WriteString(XlsxText.Cell(Text(value)));
                _xml.WriteEndElement();
                _xml.WriteEndElement();
            }
            _xml.WriteEndElement();
        }
        _xml.WriteEndElement();
    }

    private static string? Number(object value) => value switch
    {
        int n => n.ToString(CultureInfo.InvariantCulture),
        long n => n.ToString(CultureInfo.InvariantCulture),
        decimal n => n.ToString(CultureInfo.InvariantCulture),
        double n when double.IsFinite(n) => n.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        DateTime utc => utc.ChinaTimeText(),
        DateTimeOffset moment => moment.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool yes => yes ? "是" : "否",
        Enum label => EnumLabels.Chinese(label),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string ColumnLetters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters;
    }
}
