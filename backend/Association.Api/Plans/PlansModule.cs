namespace Association.Api.Plans;

/// <summary>Quarterly work plans (季度工作安排) of units, their items, and the quarter-end reviews (定期总结).</summary>
public static class PlansModule
{
    public static void MapPlans(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/plans").WithTags("Plans").RequireAuthorization().MapWorkPlansApi().MapPlanItemsApi().MapPlanReviewApi();
    }
}
