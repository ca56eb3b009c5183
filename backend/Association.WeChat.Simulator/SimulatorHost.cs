using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Association.WeChat.Simulator;

public static class SimulatorHost
{
    /// <summary>The simulator app; <c>Simulator:AppId</c> and <c>Simulator:AppSecret</c> set the credentials it accepts.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder);
        var state = new SimulatorState(
            builder.Configuration["Simulator:AppId"] ?? SimulatorState.DefaultAppId,
            builder.Configuration["Simulator:AppSecret"] ?? SimulatorState.DefaultAppSecret);
        builder.Services.AddSingleton(state);
        // WeChat's own clock; a host may put another in its place before this (configure runs first).
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapWeChatEndpoints();
        app.MapControlEndpoints();
        return app;
    }
}
