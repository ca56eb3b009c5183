namespace Association.Api.Awards;

/// <summary>Yearly award candidates by the sub-district's criteria, confirmed by admins and exported.</summary>
public static class AwardsModule
{
    public static void MapAwards(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/awards").WithTags("Awards").RequireAuthorization().MapAwardsApi();
    }
}
