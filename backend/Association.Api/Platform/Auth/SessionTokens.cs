using System.Security.Cryptography;
using System.Text;

namespace Association.Api.Platform.Auth;

/// <summary>
/// Opaque bearer tokens: 256 random bits. Only their SHA-256 is stored, which is enough because
/// the tokens themselves carry full entropy (no salt or slow hash needed).
/// </summary>
public static class SessionTokens
{
    public static string NewAccessToken() => "at_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewRefreshToken() => "rt_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A jobs dashboard session's cookie: a credential of its own kind, never a bearer token.</summary>
    public static string NewDashboardToken() => "jd_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A web console session's cookie; like the dashboard's, never a bearer token.</summary>
    public static string NewConsoleToken() => "cs_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A console sign-in ticket (shown as a QR code) and the secret of the browser that asked for it.</summary>
    public static string NewLoginTicket() => "lt_" + Base64Url(RandomNumberGenerator.GetBytes(24));

    public static string NewBrowserSecret() => "lb_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    // Stored under its own domain: the same bytes presented as a bearer token hash to something no API session holds,
    // and a bearer token in the dashboard's cookie to something no dashboard session holds.
    public static byte[] DashboardHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes("jobs-dashboard:" + token));

    public static byte[] ConsoleHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes("web-console:" + token));

    /// <summary>
    /// The console session's CSRF token, derived from its cookie: the page learns it from a same-origin read, and a
    /// write from another site, which carries the cookie but cannot read that answer, cannot send it.
    /// </summary>
    public static string CsrfTokenFor(string consoleToken) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(consoleToken), "console-csrf"u8.ToArray()));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
