namespace Association.Api.Patrols;

/// <summary>Patrols with companions and check-ins, and their confirmation by someone who did not patrol.</summary>
public static class PatrolsModule
{
    public static void MapPatrols(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/patrols").WithTags("Patrols").RequireAuthorization().MapPatrolsApi().MapPatrolRecordsApi().MapPatrolReviewApi();
    }
}
