using Microsoft.Extensions.Logging;

namespace Association.WeChat;

/// <summary>Hands out transports on pooled handlers, so singletons never pin one HttpClient.</summary>
public sealed class WeChatTransportFactory(IHttpClientFactory httpClients, ILoggerFactory loggers)
{
    internal const string HttpClientName = "wechat";

    internal WeChatTransport Create() =>
        new(httpClients.CreateClient(HttpClientName), loggers.CreateLogger<WeChatTransport>());
}
