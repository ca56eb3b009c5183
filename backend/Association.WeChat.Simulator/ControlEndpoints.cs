namespace Association.WeChat.Simulator;

/// <summary>
/// Test controls under /_sim: queue faults (any errcode, a delay), expire access tokens, skew the
/// phone watermark, read what was called and sent, reset.
/// </summary>
public static class ControlEndpoints
{
    public sealed record WatermarkSettings(string? AppId, int AgeSeconds);

    public static void MapControlEndpoints(this WebApplication app)
    {
        var control = app.MapGroup("/_sim");
        control.MapPost("/faults", (Fault fault, SimulatorState state) =>
        {
            state.AddFault(fault);
            return Results.NoContent();
        });
        control.MapPost("/expire-tokens", (SimulatorState state) =>
        {
            state.ExpireTokens();
            return Results.NoContent();
        });
        control.MapPost("/watermark", (WatermarkSettings settings, SimulatorState state) =>
        {
            state.WatermarkAppIdOverride = settings.AppId;
            state.WatermarkAgeSeconds = settings.AgeSeconds;
            return Results.NoContent();
        });
        control.MapPost("/reset", (SimulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
        control.MapGet("/stats", (SimulatorState state) => Results.Json(new
        {
            calls = state.Calls,
            messages = state.Messages,
            lastContentCheckBody = state.LastContentCheckBody,
        }));
        control.MapGet("/openid", (string code, SimulatorState state) => Results.Json(new { openid = state.OpenIdFor(code) }));
    }
}
