namespace Association.Api.Figures;

/// <summary>Monthly figures of every unit, rolled up hourly, and the figures-over-time API that reads them.</summary>
public static class FiguresModule
{
    public static void AddFigures(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FigureRollup>();
        builder.Services.AddTransient<FiguresRollupJob>();
    }

    public static void MapFigures(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/figures").WithTags("Figures").RequireAuthorization().MapFiguresApi().MapFiguresExportApi();
}
