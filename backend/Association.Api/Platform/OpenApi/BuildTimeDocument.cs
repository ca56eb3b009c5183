using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Association.Api.Platform.OpenApi;

/// <summary>
/// The build writes the OpenAPI contract (miniprogram-contracts/openapi.json) by starting this app inside
/// dotnet-getdocument, with no servers and no secrets. These placeholders let the host start there; nothing in
/// that run migrates, processes jobs or publishes, so the placeholders never reach a server.
/// </summary>
public static class BuildTimeDocument
{
    public static bool IsGenerating { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>Called last before <c>Build()</c>: placeholder settings, and no hosted service starts.</summary>
    public static void PrepareForDocumentGeneration(this WebApplicationBuilder builder)
    {
        if (!IsGenerating)
        {
            return;
        }
        var placeholderKey = Convert.ToBase64String(new byte[32]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Server=127.0.0.1;Port=1;Database=unused",
            ["Database:MigrateOnStartup"] = "false",
            ["Redis:Configuration"] = "127.0.0.1:1,abortConnect=false,connectTimeout=1",
            ["Jobs:RunServer"] = "false",
            ["WeChat:AppId"] = "unused",
            ["WeChat:AppSecret"] = "unused",
            ["FieldEncryption:ActiveKeyId"] = "unused",
            ["FieldEncryption:Keys:unused"] = placeholderKey,
            ["FieldEncryption:LookupKey"] = placeholderKey,
            ["Photos:Root"] = Path.GetTempPath(),
        });
        builder.Services.RemoveAll<IHostedService>();
    }
}
