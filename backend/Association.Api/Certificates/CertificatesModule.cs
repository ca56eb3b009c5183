namespace Association.Api.Certificates;

/// <summary>Service certificates (志愿服务证明): issue, download as PDF, revoke, and the public verification.</summary>
public static class CertificatesModule
{
    public static void AddCertificates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CertificateOptions>().BindConfiguration(CertificateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CertificateFont>();
    }

    public static void MapCertificates(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/certificates").WithTags("Certificates").RequireAuthorization().MapCertificatesApi();
        // Its own short prefix: the address is printed as a QR code, and a smaller code scans better from paper.
        app.MapGroup("/api/verify").WithTags("Certificates").MapCertificateVerifyApi();
    }
}
