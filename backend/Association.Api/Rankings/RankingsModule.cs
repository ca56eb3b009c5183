namespace Association.Api.Rankings;

/// <summary>Quarterly rankings computed by the job, and live leaderboards in Redis fed from the outbox.</summary>
public static class RankingsModule
{
    public static void AddRankings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RankingOptions>().BindConfiguration(RankingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTransient<RankingsJob>();
        builder.Services.AddSingleton<RankRunWriter>();
        builder.Services.AddSingleton<UnitRankWriter>();
        builder.Services.AddSingleton<LeaderboardRebuilder>();
        builder.Services.AddSingleton<LeaderboardAnswers>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LeaderboardAnswers>());
        builder.Services.AddSingleton<LeaderboardPublisher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LeaderboardPublisher>());
        builder.Services.AddSingleton<LeaderboardRepair>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LeaderboardRepair>());
    }

    public static void MapRankings(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/rankings").WithTags("Rankings").RequireAuthorization().MapRankingsApi().MapRankingExportApi();
        app.MapGroup("/api/unit-rankings").WithTags("Rankings").RequireAuthorization().MapUnitRankingsApi().MapUnitRankingExportApi();
        app.MapGroup("/api/leaderboards").WithTags("Rankings").RequireAuthorization().MapLeaderboardsApi();
    }
}
