namespace Association.Api.Patrols;

/// <summary>Patrols with companions and check-ins, and their confirmation by someone who did not patrol.</summary>
public static class PatrolsModule
{
    public static void AddPatrols(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PatrolOptions>().BindConfiguration(PatrolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTransient<AbandonedPatrolsJob>();
    }

    public static void MapPatrols(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/patrols").WithTags("Patrols").RequireAuthorization().MapPatrolsApi().MapPatrolExportApi().MapPatrolRecordsApi().MapPatrolReviewApi();
    }
}
