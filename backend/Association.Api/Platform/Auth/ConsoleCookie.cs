namespace Association.Api.Platform.Auth;

/// <summary>
/// How the web console's session travels: an HttpOnly cookie scoped to the console's path, a CSRF token header on every
/// write, and the API reached under the console's own prefix (<c>/admin/api/…</c>), the only place the cookie counts.
/// </summary>
public static class ConsoleCookie
{
    public const string Name = "assoc_console";

    public const string CsrfHeader = "X-CSRF-Token";

    public const string ConsolePath = "/admin";

    public const string ApiPrefix = ConsolePath + "/api";

    public static readonly TimeSpan SessionLife = TimeSpan.FromHours(8);

    private const string ViaConsole = "ViaConsole";

    public static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = ConsolePath,
        MaxAge = maxAge,
        IsEssential = true,
    };

    /// <summary>The request came to the API through the console's prefix.</summary>
    public static bool CameThroughConsole(HttpContext http) => http.Items.ContainsKey(ViaConsole);

    /// <summary>Serves <c>/admin/api/x</c> as <c>/api/x</c>, marked as the console's; runs before routing.</summary>
    public static void UseConsoleApiPrefix(this WebApplication app) => app.Use((http, next) =>
    {
        if (http.Request.Path.StartsWithSegments(ApiPrefix, StringComparison.Ordinal, out var rest))
        {
            http.Items[ViaConsole] = true;
            http.Request.Path = "/api" + rest;
        }
        return next(http);
    });
}
