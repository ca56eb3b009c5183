using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;

namespace Association.Api.Platform.Errors;

public static class ErrorsSetup
{
    /// <summary>Chinese unless the request asks for English; numbers and dates are formatted the same in both.</summary>
    public static readonly CultureInfo[] Languages = [CultureInfo.GetCultureInfo("zh-CN"), CultureInfo.GetCultureInfo("en")];

    public static void AddApiErrors(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            ProblemLocalizer.Localize(context);
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, Languages[0]);
            options.SupportedCultures = [CultureInfo.InvariantCulture];
            options.SupportedUICultures = Languages;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });

        // Binding failures (a route value that is not a number, a body that is not JSON) become
        // exceptions in every environment, so the one handler answers them, and no handler or
        // endpoint filter ever runs on a half-bound request.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.UnmappedMemberHandling =
            System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow);
    }
}
