using System.Text;
using SkiaSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Association.Tests.Certificates;

/// <summary>What a reader gets out of a PDF: its text as copied (marked-content ActualText wins over a glyph's mapping) and its QR codes.</summary>
public static class PdfContent
{
    public static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            var replaced = new Dictionary<Letter, string>(ReferenceEqualityComparer.Instance);
            foreach (var span in page.GetMarkedContents().Where(m => m.ActualText is not null))
            {
                for (var i = 0; i < span.Letters.Count; i++)
                {
                    replaced[span.Letters[i]] = i == 0 ? span.ActualText! : "";
                }
            }
            foreach (var letter in page.Letters)
            {
                text.Append(replaced.TryGetValue(letter, out var actual) ? actual : letter.Value);
            }
        }
        return text.ToString();
    }

    public static IReadOnlyList<string> QrCodes(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var found = new List<string>();
        foreach (var image in document.GetPages().SelectMany(p => p.GetImages()))
        {
            Assert.True(image.TryGetPng(out var png), "the QR code is a lossless image");
            using var bitmap = SKBitmap.Decode(png);
            var luminance = new byte[bitmap.Width * bitmap.Height];
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    luminance[y * bitmap.Width + x] = bitmap.GetPixel(x, y).Red;
                }
            }
            var source = new RGBLuminanceSource(luminance, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8);
            var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true });
            if (result is not null)
            {
                found.Add(result.Text);
            }
        }
        return found;
    }
}
