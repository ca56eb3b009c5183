namespace Association.Api.Publicity;

/// <summary>Members' publicity work, published by a leader.</summary>
public static class PublicityModule
{
    public static void MapPublicity(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/publicity").WithTags("Publicity").RequireAuthorization().MapPublicityApi();
    }
}
