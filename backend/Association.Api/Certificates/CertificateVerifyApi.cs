using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Certificates;

/// <summary>
/// The verification the certificate's QR code opens, for anyone and without signing in: it reads our record by the
/// serial, so a forged or altered paper shows what we actually issued (or nothing). The holder is masked. A phone's
/// browser gets a page in Chinese; everything else gets JSON. Limited per address, so serials cannot be tried in bulk.
/// </summary>
public static class CertificateVerifyApi
{
    public static RouteGroupBuilder MapCertificateVerifyApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{serial}", VerifyCertificate)
            .WithSummary("Public verification of a certificate by its serial: masked holder, period, figures, revoked or not (a page for a browser asking for text/html)")
            .AllowAnonymous()
            .RequireRateLimiting(AuthSetup.PublicLookupRateLimit)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    public static async Task<Results<Ok<CertificateVerification>, ContentHttpResult, ProblemHttpResult>> VerifyCertificate(
        string serial, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        var wantsPage = WantsPage(http.Request);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Robots-Tag"] = "noindex";
        var stored = CertificateSerials.Normalise(serial);
        CertificateRows.CertificateRow? row = null;
        if (stored is not null)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            row = await connection.QuerySingleOrDefaultAsync<CertificateRows.CertificateRow>(new CommandDefinition(CertificateRows.BySerial,
                new { serial = stored, callerId = 0L }, cancellationToken: ct));
        }
        if (wantsPage)
        {
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            var page = row is null ? NotFoundPage() : Page(row.ToVerification());
            return TypedResults.Content(page, "text/html; charset=utf-8", Encoding.UTF8, row is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
        }
        return row is null ? Problems.NotFound("certificates.certificate.notFound") : TypedResults.Ok(row.ToVerification());
    }

    /// <summary>A browser (WeChat's scanner opens one) asks for HTML first; API clients ask for JSON or anything.</summary>
    private static bool WantsPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.OrderByDescending(a => a.Quality ?? 1).First().MediaType.Value is "text/html" or "application/xhtml+xml";

    private static string Page(CertificateVerification v)
    {
        var f = v.Figures;
        var rows = new List<(string, string)>
        {
            ("证书编号", v.Serial),
            ("持证人", v.HolderName),
            ("会员编号", v.MemberNumber ?? "无"),
            ("所属网格", v.GridName),
            ("出具单位", v.AssociationName),
            ("证明期间", $"{v.PeriodFrom.Written()}至{v.PeriodUntil.Written()}"),
            ("服务时长", f.Hours.ToString("0.#", CultureInfo.InvariantCulture) + " 小时"),
            ("参加活动", $"{f.EventsAttended} 次"),
            ("参加巡防", $"{f.Patrols} 次"),
            ("获得积分", $"{f.PointsEarned} 分"),
            ("所获荣誉", f.Awards.Count == 0 ? "无" : string.Join("；", f.Awards)),
            ("出具时间", new DateTimeOffset(v.IssuedAt, TimeSpan.Zero).ToOffset(Platform.ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        };
        var verdict = v.Revoked
            ? "<p class=\"bad\">此证明已被撤销，不再有效。</p>"
            : "<p class=\"good\">此证明由平台出具，记录真实有效。</p>";
        var table = string.Concat(rows.Select(r => $"<tr><th>{Html(r.Item1)}</th><td>{Html(r.Item2)}</td></tr>"));
        return Shell("志愿服务证明核验", verdict + "<table>" + table + "</table>");
    }

    private static string NotFoundPage() => Shell("志愿服务证明核验", "<p class=\"bad\">未找到此编号的证明，请核对证书编号。</p>");

    private static string Shell(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Html(title)}}</title>
        <style>body{font-family:sans-serif;margin:0 auto;max-width:34em;padding:1em;color:#222}h1{font-size:1.4em;color:#b01e23}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.5em;text-align:left}th{width:6em;color:#666;font-weight:normal}
        .good{color:#1a7f37;font-weight:bold}.bad{color:#b01e23;font-weight:bold}</style></head>
        <body><h1>{{Html(title)}}</h1>{{body}}</body></html>
        """;

    // Chinese stays as it is; only what HTML gives meaning to is escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Html(string text) => Encoder.Encode(text);

}
