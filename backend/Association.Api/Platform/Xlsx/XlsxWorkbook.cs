using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Association.Api.Platform.Xlsx;

/// <summary>
/// An .xlsx workbook written row by row into a temporary file that deletes itself when closed, so an export of a
/// million rows costs disk, not memory, and a failure half-way sends the client a problem, not half a sheet.
/// Sheets are written one after the other (a zip holds one open entry at a time); strings are inline, so nothing
/// grows with the rows.
/// </summary>
public sealed class XlsxWorkbook : IAsyncDisposable
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly List<string> _sheetNames = [];
    private XlsxSheet? _open;
    private bool _finished;

    private XlsxWorkbook(FileStream file)
    {
        _file = file;
        _zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
    }

    public static XlsxWorkbook Create() => new(new FileStream(Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.xlsx"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous));

    /// <summary>Starts the next sheet, ending the one before. Names are cut to Excel's 31 characters.</summary>
    public XlsxSheet AddSheet(string name, IReadOnlyList<XlsxColumn> columns)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _open?.End();
        var safeName = XlsxText.SheetName(name, _sheetNames.Count + 1);
        _sheetNames.Add(safeName);
        var entry = _zip.CreateEntry($"xl/worksheets/sheet{_sheetNames.Count}.xml", CompressionLevel.Fastest);
        _open = new XlsxSheet(entry.Open(), columns);
        return _open;
    }

    /// <summary>Closes the workbook and hands over the file from its first byte; disposing the stream deletes the file.</summary>
    public Stream Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_sheetNames.Count == 0)
        {
            throw new InvalidOperationException("A workbook needs a sheet.");
        }
        _open?.End();
        WritePackageParts();
        _zip.Dispose();
        _finished = true;
        _file.Position = 0;
        return _file;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            _open?.Abandon();
            _zip.Dispose();
            await _file.DisposeAsync();
        }
    }

    private void WritePackageParts()
    {
        Part("[Content_Types].xml", x =>
        {
            x.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
            Default(x, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(x, "xml", "application/xml");
            Override(x, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(x, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            for (var i = 1; i <= _sheetNames.Count; i++)
            {
                Override(x, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            }
            x.WriteEndElement();
        });
        Part("_rels/.rels", x => Relationships(x, [("rId1", "officeDocument", "xl/workbook.xml")]));
        Part("xl/_rels/workbook.xml.rels", x => Relationships(x,
            [.. _sheetNames.Select((_, i) => ($"rId{i + 1}", "worksheet", $"worksheets/sheet{i + 1}.xml")), ($"rId{_sheetNames.Count + 1}", "styles", "styles.xml")]));
        Part("xl/workbook.xml", x =>
        {
            x.WriteStartElement("workbook", XlsxSheet.Main);
            x.WriteAttributeString("xmlns", "r", null, DocumentRelationships);
            x.WriteStartElement("sheets", XlsxSheet.Main);
            for (var i = 0; i < _sheetNames.Count; i++)
            {
                x.WriteStartElement("sheet", XlsxSheet.Main);
                x.WriteAttributeString("name", _sheetNames[i]);
                x.WriteAttributeString("sheetId", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                x.WriteAttributeString("r", "id", DocumentRelationships, $"rId{i + 1}");
                x.WriteEndElement();
            }
            x.WriteEndElement();
            x.WriteEndElement();
        });
        using (var styles = new StreamWriter(_zip.CreateEntry("xl/styles.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
        {
            styles.Write("""<?xml version="1.0" encoding="utf-8" standalone="yes"?>""");
            styles.Write(XlsxStyles.Xml);
        }
    }

    private const string DocumentRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private void Part(string path, Action<XmlWriter> write)
    {
        using var stream = _zip.CreateEntry(path, CompressionLevel.Fastest).Open();
        using var xml = XmlWriter.Create(stream, XlsxSheet.XmlSettings);
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }

    private static void Default(XmlWriter x, string extension, string type)
    {
        x.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        x.WriteAttributeString("Extension", extension);
        x.WriteAttributeString("ContentType", type);
        x.WriteEndElement();
    }

    private static void Override(XmlWriter x, string part, string type)
    {
        x.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        x.WriteAttributeString("PartName", part);
        x.WriteAttributeString("ContentType", type);
        x.WriteEndElement();
    }

    private static void Relationships(XmlWriter x, IEnumerable<(string Id, string Type, string Target)> relationships)
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/relationships";
        x.WriteStartElement("Relationships", ns);
        foreach (var (id, type, target) in relationships)
        {
            x.WriteStartElement("Relationship", ns);
            x.WriteAttributeString("Id", id);
            x.WriteAttributeString("Type", $"{DocumentRelationships}/{type}");
            x.WriteAttributeString("Target", target);
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }
}
