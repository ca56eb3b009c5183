using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Association.Api.Certificates;

/// <summary>
/// The Simplified Chinese face of the configured font collection, loaded once. A machine without the font answers
/// certificate downloads with 503 rather than refusing to start: everything else works without it.
/// </summary>
public sealed class CertificateFont(IOptions<CertificateOptions> options, ILogger<CertificateFont> logger) : IDisposable
{
    private readonly Lazy<SKTypeface?> _typeface = new(() => Load(options.Value, logger));

    public SKTypeface? Typeface => _typeface.Value;

    private static SKTypeface? Load(CertificateOptions options, ILogger logger)
    {
        if (!File.Exists(options.FontPath))
        {
            logger.LogError("The certificate font {FontPath} is missing; install fonts-noto-cjk (scripts/servers.sh does)", options.FontPath);
            return null;
        }
        // A .ttc holds several faces; their order differs between font releases, so the face is found by its family.
        for (var index = 0; index < 32; index++)
        {
            var face = SKTypeface.FromFile(options.FontPath, index);
            if (face is null)
            {
                break;
            }
            if (face.FamilyName == options.FontFamily)
            {
                return face;
            }
            face.Dispose();
        }
        logger.LogError("The certificate font {FontPath} holds no face of the family {FontFamily}", options.FontPath, options.FontFamily);
        return null;
    }

    public void Dispose()
    {
        if (_typeface.IsValueCreated)
        {
            _typeface.Value?.Dispose();
        }
    }
}
