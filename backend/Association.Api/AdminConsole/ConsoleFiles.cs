using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;

namespace Association.Api.AdminConsole;

/// <summary>
/// The console's built files at <c>/admin/</c>: hashed assets cached for a year, <c>index.html</c> never (so a deployment
/// shows at once), client routes answered with <c>index.html</c>, and a strict Content-Security-Policy on all of it.
/// </summary>
public static class ConsoleFiles
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void MapConsoleFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleCookie.ConsolePath + "/{**path}", Serve).ExcludeFromDescription();
    }

    public static IResult Serve(string? path, HttpContext http, IOptions<ConsoleOptions> options, IWebHostEnvironment host)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!http.Request.Path.Value!.StartsWith(ConsoleCookie.ConsolePath + "/", StringComparison.Ordinal))
        {
            return TypedResults.Redirect(ConsoleCookie.ConsolePath + "/");
        }
        if (options.Value.Root is not { Length: > 0 } configured)
        {
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "console.notBuilt");
        }
        var root = Path.GetFullPath(configured, host.ContentRootPath);
        var index = Path.Combine(root, "index.html");
        if (!File.Exists(index))
        {
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "console.notBuilt");
        }
        var file = Path.GetFullPath(Path.Combine(root, path ?? ""));
        if (path is { Length: > 0 } && file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(file))
        {
            // Vite names what it builds by content: a new build is a new name, so the old one may be kept forever.
            headers.CacheControl = path.StartsWith("assets/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
            return TypedResults.PhysicalFile(file, ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream");
        }
        if (Path.HasExtension(path))
        {
            return Problems.NotFound("console.file.notFound");
        }
        headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(index, "text/html; charset=utf-8");
    }
}
