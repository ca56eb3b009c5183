namespace Association.Api.Auth;

/// <summary>Sign-in with WeChat, our own session tokens, and the signed-in person's own view.</summary>
public static class AuthModule
{
    public static void AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddTransient<SpentRefreshTokensCleanupJob>();
    }

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/auth").WithTags("Auth").MapAuthApi();
        app.MapGroup("/api/me").WithTags("Auth").RequireAuthorization().MapMeApi();
    }
}
