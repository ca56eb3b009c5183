using System.Text;
using SkiaSharp;

namespace Association.Api.Platform.Documents;

/// <summary>
/// Writes Chinese text on a page of a PDF or an image. Text goes out with its characters beside the glyphs, so that
/// copying from the PDF (and extracting it) gives 长, not the radical ⻓ that shares its glyph in the font.
/// </summary>
public sealed class PageWriter(SKCanvas canvas, SKTypeface typeface, float pageWidth)
{
    public static readonly SKColor Ink = new(0x22, 0x22, 0x22), Seal = new(0xB0, 0x1E, 0x23), Muted = new(0x66, 0x66, 0x66);

    public SKCanvas Canvas => canvas;

    public float Measure(string text, float size)
    {
        using var font = new SKFont(typeface, size);
        return font.MeasureText(text);
    }

    public void Centered(string text, float y, float size, SKColor color, float? centre = null) =>
        Text(text, (centre ?? pageWidth / 2) - Measure(text, size) / 2, y, size, color);

    public void Right(string text, float right, float y, float size, SKColor? color = null) =>
        Text(text, right - Measure(text, size), y, size, color ?? Ink);

    /// <summary>
    /// Breaks text into lines that fit <paramref name="width"/>: Chinese may break between any two characters, and a line
    /// break in the text starts a new line, indented like the first.
    /// </summary>
    public IReadOnlyList<(string Text, float Indent)> Lines(string text, float width, float size, float firstIndent = 0)
    {
        using var font = new SKFont(typeface, size);
        var lines = new List<(string, float)>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = new StringBuilder();
            var indent = firstIndent;
            foreach (var rune in paragraph.EnumerateRunes())
            {
                if (font.MeasureText(line.ToString() + rune) > width - indent && line.Length > 0)
                {
                    lines.Add((line.ToString(), indent));
                    line.Clear();
                    indent = 0;
                }
                line.Append(rune.ToString());
            }
            lines.Add((line.ToString(), indent));
        }
        return lines;
    }

    /// <summary>Writes text in lines from <paramref name="top"/> down; returns the baseline of the last line.</summary>
    public float Paragraph(string text, float left, float top, float width, float size, float lineHeight, float firstIndent = 0)
    {
        var y = top - lineHeight;
        foreach (var (line, indent) in Lines(text, width, size, firstIndent))
        {
            y += lineHeight;
            Text(line, left + indent, y, size, Ink);
        }
        return y;
    }

    /// <summary>One run of glyphs that carries its text and the character each glyph stands for.</summary>
    public void Text(string text, float x, float y, float size, SKColor color)
    {
        if (text.Length == 0)
        {
            return;
        }
        using var font = new SKFont(typeface, size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        var glyphs = font.GetGlyphs(text);
        var widths = font.GetGlyphWidths(glyphs);
        var utf8 = Encoding.UTF8.GetBytes(text);
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedTextRun(font, glyphs.Length, utf8.Length);
        glyphs.CopyTo(run.Glyphs);
        utf8.CopyTo(run.Text);
        var positions = run.Positions;
        var clusters = run.Clusters;
        float advance = 0;
        var offset = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            positions[index] = new SKPoint(advance, 0);
            clusters[index] = (uint)offset;
            advance += widths[index];
            offset += rune.Utf8SequenceLength;
            index++;
        }
        using var blob = builder.Build();
        if (blob is not null)
        {
            canvas.DrawText(blob, x, y, paint);
        }
    }
}

/// <summary>A PDF whose drawing asks for pages as it goes (a form runs onto as many as its text needs); the font is
/// embedded as a subset.</summary>
public static class PdfPages
{
    public const float A4Width = 595, A4Height = 842;

    public static byte[] Render(SKDocumentPdfMetadata metadata, SKTypeface typeface, float width, float height, Action<Func<PageWriter>> draw)
    {
        using var output = new MemoryStream();
        metadata.EncodingQuality = 101;
        metadata.Creator = "平安创建协会管理平台";
        using (var pdf = SKDocument.CreatePdf(output, metadata))
        {
            var open = false;
            draw(() =>
            {
                if (open)
                {
                    pdf.EndPage();
                }
                open = true;
                return new PageWriter(pdf.BeginPage(width, height), typeface, width);
            });
            if (open)
            {
                pdf.EndPage();
            }
            pdf.Close();
        }
        return output.ToArray();
    }

    /// <summary>A PDF of one page.</summary>
    public static byte[] Render(SKDocumentPdfMetadata metadata, SKTypeface typeface, float width, float height, Action<PageWriter> page) =>
        Render(metadata, typeface, width, height, (Func<PageWriter> next) => page(next()));
}
