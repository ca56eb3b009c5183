using Microsoft.AspNetCore.Http.Json;

namespace Association.Api.Platform.Errors;

public static class ErrorsSetup
{
    public static void AddApiErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Binding failures (a route value that is not a number, a body that is not JSON) become
        // exceptions in every environment, so the one handler answers them, and no handler or
        // endpoint filter ever runs on a half-bound request.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.UnmappedMemberHandling =
            System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow);
    }
}
