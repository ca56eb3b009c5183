namespace Association.Api.AdminConsole;

/// <summary>The office's web console (管理后台): its sign-in by scanning and its built files at /admin/.</summary>
public static class AdminConsoleModule
{
    public static void AddAdminConsole(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();

    public static void MapAdminConsole(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/console").WithTags("Console").RequireAuthorization().MapConsoleSignInApi();
        app.MapConsoleFiles();
    }
}
