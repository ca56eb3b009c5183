using Association.Api.Certificates;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using SkiaSharp;

namespace Association.Api.Campaigns;

/// <summary>
/// The application's papers for whoever reads it: the application and review forms for printing and stamping, and once
/// the district has published its results, the plaque of an awarded subject.
/// </summary>
public static class CampaignDocumentsApi
{
    public static RouteGroupBuilder MapCampaignDocumentsApi(this RouteGroupBuilder applications)
    {
        applications.MapGet("/{applicationId}/application-form.pdf", DownloadApplicationForm)
            .WithSummary("The application form (申报表) filled in, as a PDF for printing and stamping")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        applications.MapGet("/{applicationId}/review-form.pdf", DownloadReviewForm)
            .WithSummary("The review form (审核表) with its progress per standard and the system's evidence, once the application is on the list")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        applications.MapGet("/{applicationId}/plaque.pdf", DownloadPlaquePdf)
            .WithSummary("The plaque (奖牌) of an awarded subject as a PDF, once the results are published")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        applications.MapGet("/{applicationId}/plaque.png", DownloadPlaquePng)
            .WithSummary("The plaque (奖牌) of an awarded subject as a PNG image, once the results are published")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return applications;
    }

    private sealed record Papers(NominationView Application, CampaignRows.CampaignRow Campaign);

    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadApplicationForm(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CertificateFont font, CancellationToken ct) =>
        RenderAsync(applicationId, http, db, time, font, ct, (papers, typeface) =>
            TypedResults.File(CampaignForms.ApplicationForm(papers.Application, papers.Campaign.DistrictName, typeface), "application/pdf",
                $"application-{applicationId}.pdf"));

    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadReviewForm(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CertificateFont font, CancellationToken ct) =>
        RenderAsync(applicationId, http, db, time, font, ct, (papers, typeface) => papers.Application.Review is null
            ? Problems.Conflict("campaigns.review.none", papers.Application.Status)
            : TypedResults.File(CampaignForms.ReviewForm(papers.Application, papers.Campaign.DistrictName, typeface), "application/pdf",
                $"review-{applicationId}.pdf"));

    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadPlaquePdf(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CertificateFont font, CancellationToken ct) =>
        RenderAsync(applicationId, http, db, time, font, ct, (papers, typeface) => PlaqueOf(papers) is { } plaque
            ? TypedResults.File(Plaque.Pdf(plaque, typeface), "application/pdf", $"plaque-{applicationId}.pdf")
            : Problems.Conflict("campaigns.plaque.notAwarded"));

    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadPlaquePng(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CertificateFont font, CancellationToken ct) =>
        RenderAsync(applicationId, http, db, time, font, ct, (papers, typeface) => PlaqueOf(papers) is { } plaque
            ? TypedResults.File(Plaque.Png(plaque, typeface), "image/png", $"plaque-{applicationId}.png")
            : Problems.Conflict("campaigns.plaque.notAwarded"));

    /// <summary>A plaque only for a subject awarded in a joint review whose results are out, dated the month they came out.</summary>
    private static PlaqueDocument? PlaqueOf(Papers papers) =>
        papers.Application.Status == NominationStatus.Awarded && papers.Campaign.ResultsPublishedAt is { } published
            ? new PlaqueDocument(papers.Application.SubjectName, papers.Application.Year, papers.Application.Category, papers.Campaign.IssuingBody,
                new DateTimeOffset(published, TimeSpan.Zero).ChinaDay())
            : null;

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RenderAsync(long applicationId, HttpContext http, MySqlDataSource db,
        TimeProvider time, CertificateFont font, CancellationToken ct, Func<Papers, SKTypeface, Results<FileContentHttpResult, ProblemHttpResult>> render)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await NominationRows.ReadAsync(connection, null, applicationId, callerId, ct);
        var campaign = row is null ? null : await CampaignRows.ReadAsync(connection, null, row.CampaignId, callerId, ct);
        if (row is null || campaign is null)
        {
            return Problems.NotFound("campaigns.application.notFound");
        }
        if (font.Typeface is not { } typeface)
        {
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "certificates.font.missing");
        }
        var view = await NominationRows.ViewAsync(connection, null, row, time.DbUtcNow(), ct);
        http.Response.Headers.CacheControl = "no-store";
        return render(new Papers(view, campaign), typeface);
    }
}
