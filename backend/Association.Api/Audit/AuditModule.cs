namespace Association.Api.Audit;

/// <summary>The readable audit of acts on personal data and roles.</summary>
public static class AuditModule
{
    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization().MapAuditApi();
    }
}
