using SkiaSharp;

namespace Association.Api.Platform.Documents;

/// <summary>One row of a printed form: its label on the left, what was filled in, and a line at its foot (盖章, a date).</summary>
/// <param name="MinHeight">Room left for a stamp or a handwritten note, however little was filled in.</param>
public sealed record FormRow(string Label, string Content, float MinHeight = 56, string? Foot = null);

/// <summary>
/// A form's table (label column, content column) written down the page and onto new pages as its rows need: a row too
/// long for the page goes on under its label marked 续.
/// </summary>
public sealed class FormTable(Func<PageWriter> nextPage, float left, float right, float top, float bottom, float labelWidth = 92)
{
    private const float Size = 12, LineHeight = 19, Padding = 10;
    private static readonly SKColor Rule = new(0x33, 0x33, 0x33);
    private PageWriter? _page;
    private float _y;

    /// <summary>Starts the table on <paramref name="page"/> at <paramref name="y"/>, below what the page already holds.</summary>
    public void StartOn(PageWriter page, float y) => (_page, _y) = (page, y);

    public void Write(FormRow row)
    {
        var page = _page ??= nextPage();
        var contentLeft = left + labelWidth + Padding;
        var lines = page.Lines(row.Content, right - contentLeft - Padding, Size, firstIndent: 2 * Size);
        var footHeight = row.Foot is null ? 0 : 2 * LineHeight;
        var height = Math.Max(lines.Count * LineHeight + 2 * Padding + footHeight, row.MinHeight);
        if (_y + height > bottom && _y > top && (height <= (bottom - top) / 3 || bottom - _y < 4 * LineHeight))
        {
            // A short row is not cut, and a long one does not start in a sliver at the foot: they start on the next page.
            page = _page = nextPage();
            _y = top;
        }
        var rowTop = _y;
        var y = rowTop + Padding + Size;
        var continued = false;
        foreach (var (text, indent) in lines)
        {
            if (y + Padding > bottom)
            {
                Frame(page, row.Label, rowTop, y - LineHeight + Padding, continued);
                page = _page = nextPage();
                (rowTop, y, continued) = (top, top + Padding + Size, true);
            }
            page.Text(text, contentLeft + indent, y, Size, PageWriter.Ink);
            y += LineHeight;
        }
        var rowBottom = Math.Max(y - LineHeight + Padding + footHeight, rowTop + row.MinHeight);
        if (row.Foot is { } foot)
        {
            page.Right(foot, right - Padding, rowBottom - Padding - 4, Size);
        }
        Frame(page, row.Label, rowTop, rowBottom, continued);
        _y = rowBottom;
    }

    private void Frame(PageWriter page, string label, float rowTop, float rowBottom, bool continued)
    {
        using var rule = new SKPaint { Color = Rule, IsStroke = true, StrokeWidth = 0.8f, IsAntialias = true };
        page.Canvas.DrawRect(left, rowTop, right - left, rowBottom - rowTop, rule);
        page.Canvas.DrawLine(left + labelWidth, rowTop, left + labelWidth, rowBottom, rule);
        var labelLines = label.Split('\n').Concat(continued ? ["（续）"] : []).ToList();
        var centre = left + labelWidth / 2;
        var first = (rowTop + rowBottom) / 2 - (labelLines.Count - 1) * LineHeight / 2 + Size / 2 - 2;
        for (var i = 0; i < labelLines.Count; i++)
        {
            page.Centered(labelLines[i], first + i * LineHeight, Size + 1, PageWriter.Ink, centre);
        }
    }
}
