using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Association.WeChat;

public static class WeChatSetup
{
    /// <summary>Registers the client; the host must register an <c>IConnectionMultiplexer</c>.</summary>
    public static IServiceCollection AddWeChat(this IServiceCollection services, string section = WeChatOptions.Section)
    {
        services.AddOptions<WeChatOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(WeChatTransportFactory.HttpClientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<WeChatOptions>>().Value;
                http.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
                http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            })
            // The default HTTP logging writes request URLs, and WeChat's carry the AppSecret or an access token.
            .RemoveAllLoggers();

        services.AddSingleton<WeChatTransportFactory>();
        services.AddSingleton<WeChatAccessTokens>();
        services.AddSingleton<WeChatClient>();
        return services;
    }
}
