using System.Globalization;
using System.Text;
using Association.Api.Platform;
using Association.Api.Platform.Documents;
using QRCoder;
using SkiaSharp;

namespace Association.Api.Certificates;

/// <summary>What one printed certificate says.</summary>
public sealed record CertificateDocument(string HolderName, string? MemberNumber, string GridName, string AssociationName, DateOnly PeriodFrom,
    DateOnly PeriodUntil, CertificateFigures Figures, DateTime IssuedAt, string Serial, string VerifyUrl);

/// <summary>
/// Draws a certificate on one A4 page (see <see cref="PageWriter"/> for how its text is written). The QR code is a
/// lossless image of whole modules, so it scans from screen and paper alike.
/// </summary>
public static class CertificatePdf
{
    private const float PageWidth = PdfPages.A4Width, PageHeight = PdfPages.A4Height, Margin = 72;
    private static readonly SKColor Ink = PageWriter.Ink, Seal = PageWriter.Seal, Muted = PageWriter.Muted;

    public static byte[] Render(CertificateDocument document, SKTypeface typeface) =>
        PdfPages.Render(new SKDocumentPdfMetadata
        {
            Title = "志愿服务证明 " + CertificateSerials.Printed(document.Serial),
            Author = document.AssociationName,
            Creation = document.IssuedAt,
            Modified = document.IssuedAt,
        }, typeface, PageWidth, PageHeight, page => DrawPage(page, document));

    private static void DrawPage(PageWriter page, CertificateDocument d)
    {
        var canvas = page.Canvas;
        using var frame = new SKPaint { Color = Seal, IsStroke = true, StrokeWidth = 3, IsAntialias = true };
        canvas.DrawRect(28, 28, PageWidth - 56, PageHeight - 56, frame);
        frame.StrokeWidth = 1;
        canvas.DrawRect(36, 36, PageWidth - 72, PageHeight - 72, frame);

        page.Centered("志愿服务证明", 140, 36, Seal);
        page.Centered(d.AssociationName, 178, 14, Muted);

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
        var y = page.Paragraph(body.ToString(), Margin, 250, PageWidth - 2 * Margin, 16, 30, firstIndent: 32);

        y = Math.Max(y + 30, 440);
        string[][] boxes = [["服务时长", Hours(f.Hours) + " 小时"], ["参加活动", $"{f.EventsAttended} 次"], ["参加巡防", $"{f.Patrols} 次"], ["获得积分", $"{f.PointsEarned} 分"]];
        var boxWidth = (PageWidth - 2 * Margin) / boxes.Length;
        using var box = new SKPaint { Color = Muted, IsStroke = true, StrokeWidth = 0.8f, IsAntialias = true };
        for (var i = 0; i < boxes.Length; i++)
        {
            var left = Margin + i * boxWidth;
            canvas.DrawRect(left + 4, y, boxWidth - 8, 64, box);
            page.Centered(boxes[i][0], y + 24, 12, Muted, left + boxWidth / 2);
            page.Centered(boxes[i][1], y + 50, 17, Ink, left + boxWidth / 2);
        }

        page.Right(d.AssociationName, PageWidth - Margin, 640, 15);
        page.Right("出具日期：" + new DateTimeOffset(d.IssuedAt, TimeSpan.Zero).ChinaDay().Written(), PageWidth - Margin, 670, 14);

        DrawQrCode(canvas, d.VerifyUrl, new SKRect(Margin, 600, Margin + 110, 710));
        page.Text("扫码核验真伪", Margin + 12, 730, 11, Muted);
        page.Text("证书编号：" + CertificateSerials.Printed(d.Serial), Margin, 770, 12, Ink);
        page.Text("本证明所列数据以平台记录为准，核验结果以扫码查询为准。", Margin, 792, 10, Muted);
    }

    private static string Hours(decimal hours) => hours.ToString("0.#", CultureInfo.InvariantCulture);

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
