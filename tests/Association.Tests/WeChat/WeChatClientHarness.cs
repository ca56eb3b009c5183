using Association.Tests.Infrastructure;
using Association.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Association.Tests.WeChat;

/// <summary>
/// One "API instance" worth of WeChat client: its own container and memory, the shared simulator
/// and the real Redis. Two harnesses with one key prefix behave like two instances.
/// </summary>
public sealed class WeChatClientHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public WeChatClientHarness(WeChatSimulatorServer simulator, string redisKeyPrefix, CapturedLogs logs, string? redis = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:AppId"] = simulator.AppId,
            ["WeChat:AppSecret"] = simulator.AppSecret,
            ["WeChat:BaseUrl"] = simulator.BaseUrl,
            ["WeChat:RedisKeyPrefix"] = redisKeyPrefix,
        }).Build();
        var redisOptions = ConfigurationOptions.Parse(redis ?? TestServers.Redis);
        redisOptions.AbortOnConnectFail = false;
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<IConnectionMultiplexer>(ConnectionMultiplexer.Connect(redisOptions))
            .AddWeChat()
            .BuildServiceProvider();
    }

    public WeChatClient Client => _services.GetRequiredService<WeChatClient>();

    public WeChatAccessTokens AccessTokens => _services.GetRequiredService<WeChatAccessTokens>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
