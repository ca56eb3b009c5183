using System.Net.Http.Json;
using Association.WeChat.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Infrastructure;

/// <summary>The WeChat simulator on a real loopback port: the only stand-in the tests use.</summary>
public sealed class WeChatSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WeChatSimulatorServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Control = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public string AppId => State.AppId;

    public string AppSecret => State.AppSecret;

    public SimulatorState State => _app.Services.GetRequiredService<SimulatorState>();

    public HttpClient Control { get; }

    public static async Task<WeChatSimulatorServer> StartAsync()
    {
        var app = SimulatorHost.Build([], builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WeChatSimulatorServer(app, address);
    }

    public async Task FaultAsync(string operation, int errCode, int times = 1, int delayMs = 0) =>
        (await Control.PostAsJsonAsync("/_sim/faults", new Fault { Operation = operation, ErrCode = errCode, Times = times, DelayMs = delayMs })).EnsureSuccessStatusCode();

    public async Task ExpireTokensAsync() => (await Control.PostAsync("/_sim/expire-tokens", null)).EnsureSuccessStatusCode();

    public async Task SetWatermarkAsync(string? appId, int ageSeconds) =>
        (await Control.PostAsJsonAsync("/_sim/watermark", new ControlEndpoints.WatermarkSettings(appId, ageSeconds))).EnsureSuccessStatusCode();

    public int Calls(string operation) => State.Calls.TryGetValue(operation, out var n) ? n : 0;

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _app.DisposeAsync();
    }
}
