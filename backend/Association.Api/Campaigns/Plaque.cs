using Association.Api.Platform;
using Association.Api.Platform.Documents;
using SkiaSharp;

namespace Association.Api.Campaigns;

/// <summary>What a plaque (附件3 奖牌) says: who, the year, the category, who awards it and the month.</summary>
internal sealed record PlaqueDocument(string SubjectName, int Year, CampaignCategory Category, string IssuingBody, DateOnly IssuedOn);

/// <summary>
/// A plaque in the layout of the plan's example (“十大平安”创建 / 被评为二〇二〇年度 / 平 安 家 庭 / the leading group / the
/// month), as a PDF for the engraver and a PNG for screens and the mini-program.
/// </summary>
internal static class Plaque
{
    private const float Width = 842, Height = 595;
    private const int PngScale = 2;

    public static byte[] Pdf(PlaqueDocument plaque, SKTypeface typeface) =>
        PdfPages.Render(new SKDocumentPdfMetadata
        {
            Title = $"“十大平安”创建奖牌 {plaque.SubjectName} {CampaignStandards.Name(plaque.Category)}",
            Author = plaque.IssuingBody,
            Creation = plaque.IssuedOn.ToDateTime(TimeOnly.MinValue),
            Modified = plaque.IssuedOn.ToDateTime(TimeOnly.MinValue),
        }, typeface, Width, Height, page => Draw(page, plaque));

    public static byte[] Png(PlaqueDocument plaque, SKTypeface typeface)
    {
        using var surface = SKSurface.Create(new SKImageInfo((int)Width * PngScale, (int)Height * PngScale, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Scale(PngScale);
        Draw(new PageWriter(surface.Canvas, typeface, Width), plaque);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>二〇二六: a year written digit by digit in Chinese numerals, as plaques and official documents write it.</summary>
    public static string ChineseYear(int year) =>
        string.Concat(year.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => "〇一二三四五六七八九"[d - '0']));

    /// <summary>平 安 网 格: the category as the plaque spaces it.</summary>
    public static string Spaced(string text) => string.Join(' ', text.EnumerateRunes());

    private static void Draw(PageWriter page, PlaqueDocument plaque)
    {
        var canvas = page.Canvas;
        canvas.Clear(new SKColor(0xFF, 0xFB, 0xF0));
        using var frame = new SKPaint { Color = new SKColor(0xC8, 0x9B, 0x3C), IsStroke = true, StrokeWidth = 6, IsAntialias = true };
        canvas.DrawRect(24, 24, Width - 48, Height - 48, frame);
        frame.StrokeWidth = 1.5f;
        canvas.DrawRect(38, 38, Width - 76, Height - 76, frame);

        page.Text("“十大平安”创建", 110, 130, 28, PageWriter.Ink);
        page.Centered(plaque.SubjectName, 215, plaque.SubjectName.Length > 16 ? 26 : 34, PageWriter.Ink);
        page.Right($"被评为{ChineseYear(plaque.Year)}年度", Width - 110, 280, 26);
        page.Centered(Spaced(CampaignStandards.Name(plaque.Category)), 395, 72, PageWriter.Seal);
        page.Right(plaque.IssuingBody, Width - 110, 480, 22);
        page.Right($"{plaque.IssuedOn.Year}年{plaque.IssuedOn.Month}月", Width - 110, 520, 20);
    }
}
