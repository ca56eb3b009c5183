namespace Association.Api.Campaigns;

/// <summary>
/// The Ten Safeties campaign (十大平安创建): campaigns with their phases, standards and quotas; creation subjects; applications,
/// guidance, review forms, the sub-districts' lists, the district's joint review and the plaques.
/// </summary>
public static class CampaignsModule
{
    public static void MapCampaigns(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/campaigns").WithTags("Campaigns").RequireAuthorization()
            .MapCampaignsApi().MapCampaignListsApi().MapJointReviewApi();
        app.MapGroup("/api/campaign-applications").WithTags("Campaigns").RequireAuthorization()
            .MapNominationsApi().MapReviewApi().MapDecisionApi().MapCampaignDocumentsApi();
        app.MapGroup("/api/campaign-subjects").WithTags("Campaigns").RequireAuthorization().MapCampaignSubjectsApi();
    }

    /// <summary>What a campaign step answers besides its result: a bad body, a caller who may not take it, nothing there, the wrong moment.</summary>
    internal static RouteHandlerBuilder ProducesStepProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
