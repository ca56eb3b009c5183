namespace Association.Api.Points;

/// <summary>Points rules, the append-only ledger and its statements; API awards are group-committed by <see cref="AwardQueue"/>.</summary>
public static class PointsModule
{
    public static void AddPoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AwardQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AwardQueue>());
    }

    public static void MapPoints(this IEndpointRouteBuilder app)
    {
        var points = app.MapGroup("/api/points").WithTags("Points").RequireAuthorization();
        // Rules first: the OpenAPI document describes a shared schema (WorkKind) where it first meets it.
        points.MapGroup("/rules").MapPointRulesApi();
        points.MapPointsApi().MapPointStatementsApi().MapPointExportsApi();
    }
}
