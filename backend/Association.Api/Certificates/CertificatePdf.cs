using System.Globalization;
using System.Text;
using Association.Api.Platform;
using QRCoder;
using SkiaSharp;

namespace Association.Api.Certificates;

/// <summary>What one printed certificate says.</summary>
public sealed record CertificateDocument(string HolderName, string? MemberNumber, string GridName, string AssociationName, DateOnly PeriodFrom,
    DateOnly PeriodUntil, CertificateFigures Figures, DateTime IssuedAt, string Serial, string VerifyUrl);

/// <summary>
/// Draws a certificate on one A4 page. Text goes out with its characters beside the glyphs, so that copying from the
/// PDF (and extracting it) gives 长, not the radical ⻓ that shares its glyph in the font; the font is embedded as a
/// subset. The QR code is a lossless image of whole modules, so it scans from screen and paper alike.
/// </summary>
public static class CertificatePdf
{
    private const float PageWidth = 595, PageHeight = 842, Margin = 72;
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22), Seal = new(0xB0, 0x1E, 0x23), Muted = new(0x66, 0x66, 0x66);

    public static byte[] Render(CertificateDocument document, SKTypeface typeface)
    {
        using var output = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = "志愿服务证明 " + CertificateSerials.Printed(document.Serial),
            Author = document.AssociationName,
            Creator = "平安创建协会管理平台",
            Creation = document.IssuedAt,
            Modified = document.IssuedAt,
            EncodingQuality = 101,
        };
        using (var pdf = SKDocument.CreatePdf(output, metadata))
        {
            var canvas = pdf.BeginPage(PageWidth, PageHeight);
            DrawPage(canvas, document, typeface);
            pdf.EndPage();
            pdf.Close();
        }
        return output.ToArray();
    }

    private static void DrawPage(SKCanvas canvas, CertificateDocument d, SKTypeface typeface)
    {
        using var frame = new SKPaint { Color = Seal, IsStroke = true, StrokeWidth = 3, IsAntialias = true };
        canvas.DrawRect(28, 28, PageWidth - 56, PageHeight - 56, frame);
        frame.StrokeWidth = 1;
        canvas.DrawRect(36, 36, PageWidth - 72, PageHeight - 72, frame);

        Centered(canvas, "志愿服务证明", 140, 36, typeface, Seal);
        Centered(canvas, d.AssociationName, 178, 14, typeface, Muted);

        var f = d.Figures;
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"兹证明 {d.HolderName}（会员编号：{d.MemberNumber ?? "无"}）系{d.GridName}红袖章会员。")
            .Append(CultureInfo.InvariantCulture, $"{d.PeriodFrom.Written()}至{d.PeriodUntil.Written()}期间，参加志愿服务活动 {f.EventsAttended} 次，")
            .Append(CultureInfo.InvariantCulture, $"累计服务时长 {Hours(f.Hours)} 小时，参加巡防 {f.Patrols} 次，获得积分 {f.PointsEarned} 分。");
        if (f.Awards.Count > 0)
        {
            body.Append("期间获评：").Append(string.Join("；", f.Awards)).Append('。');
        }
        body.Append("特此证明。");
        var y = Paragraph(canvas, body.ToString(), 250, 16, 30, typeface);

        y = Math.Max(y + 30, 440);
        string[][] boxes = [["服务时长", Hours(f.Hours) + " 小时"], ["参加活动", $"{f.EventsAttended} 次"], ["参加巡防", $"{f.Patrols} 次"], ["获得积分", $"{f.PointsEarned} 分"]];
        var boxWidth = (PageWidth - 2 * Margin) / boxes.Length;
        using var box = new SKPaint { Color = Muted, IsStroke = true, StrokeWidth = 0.8f, IsAntialias = true };
        for (var i = 0; i < boxes.Length; i++)
        {
            var left = Margin + i * boxWidth;
            canvas.DrawRect(left + 4, y, boxWidth - 8, 64, box);
            Centered(canvas, boxes[i][0], y + 24, 12, typeface, Muted, left + boxWidth / 2);
            Centered(canvas, boxes[i][1], y + 50, 17, typeface, Ink, left + boxWidth / 2);
        }

        Right(canvas, d.AssociationName, 640, 15, typeface);
        Right(canvas, "出具日期：" + new DateTimeOffset(d.IssuedAt, TimeSpan.Zero).ChinaDay().Written(), 670, 14, typeface);

        DrawQrCode(canvas, d.VerifyUrl, new SKRect(Margin, 600, Margin + 110, 710));
        Text(canvas, "扫码核验真伪", Margin + 12, 730, 11, typeface, Muted);
        Text(canvas, "证书编号：" + CertificateSerials.Printed(d.Serial), Margin, 770, 12, typeface, Ink);
        Text(canvas, "本证明所列数据以平台记录为准，核验结果以扫码查询为准。", Margin, 792, 10, typeface, Muted);
    }

    private static string Hours(decimal hours) => hours.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Lays out Chinese text line by line (it may break between any two characters); returns the last baseline.</summary>
    private static float Paragraph(SKCanvas canvas, string text, float top, float size, float lineHeight, SKTypeface typeface)
    {
        using var font = new SKFont(typeface, size);
        var width = PageWidth - 2 * Margin;
        var line = new StringBuilder();
        var y = top;
        var indent = size * 2;
        foreach (var rune in text.EnumerateRunes())
        {
            var candidate = line.ToString() + rune;
            if (font.MeasureText(candidate) > width - indent && line.Length > 0)
            {
                Text(canvas, line.ToString(), Margin + indent, y, size, typeface, Ink);
                line.Clear();
                y += lineHeight;
                indent = 0;
            }
            line.Append(rune.ToString());
        }
        if (line.Length > 0)
        {
            Text(canvas, line.ToString(), Margin + indent, y, size, typeface, Ink);
        }
        return y;
    }

    private static void Centered(SKCanvas canvas, string text, float y, float size, SKTypeface typeface, SKColor color, float centre = PageWidth / 2)
    {
        using var font = new SKFont(typeface, size);
        Text(canvas, text, centre - font.MeasureText(text) / 2, y, size, typeface, color);
    }

    private static void Right(SKCanvas canvas, string text, float y, float size, SKTypeface typeface)
    {
        using var font = new SKFont(typeface, size);
        Text(canvas, text, PageWidth - Margin - font.MeasureText(text), y, size, typeface, Ink);
    }

    /// <summary>One run of glyphs that carries its text and the character each glyph stands for.</summary>
    private static void Text(SKCanvas canvas, string text, float x, float y, float size, SKTypeface typeface, SKColor color)
    {
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

    private static void DrawQrCode(SKCanvas canvas, string content, SKRect area)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var modules = code.ModuleMatrix;
        const int pixelsPerModule = 8;
        var size = modules.Count * pixelsPerModule;
        using var bitmap = new SKBitmap(size, size, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var pixels = new SKCanvas(bitmap))
        using (var dark = new SKPaint { Color = SKColors.Black })
        {
            pixels.Clear(SKColors.White);
            for (var row = 0; row < modules.Count; row++)
            {
                for (var column = 0; column < modules.Count; column++)
                {
                    if (modules[row][column])
                    {
                        pixels.DrawRect(column * pixelsPerModule, row * pixelsPerModule, pixelsPerModule, pixelsPerModule, dark);
                    }
                }
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, area, new SKSamplingOptions(SKFilterMode.Nearest));
    }
}
