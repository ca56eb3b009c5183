using System.Reflection;

namespace Association.Api.Platform.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static void AddApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Association API";
                document.Info.Description = "Backend of the Datuopu safety volunteer association's mini-program.";
                return Task.CompletedTask;
            });
            // The handler's method name is the operation id, so the generated client reads like the server.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var handler = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
                operation.OperationId ??= handler?.Name;
                return Task.CompletedTask;
            });
        });
    }
}
