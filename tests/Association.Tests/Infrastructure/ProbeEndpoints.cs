using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Tests.Infrastructure;

public sealed record ProbeBody(string Name, int Households);

/// <summary>
/// A POST endpoint appended behind the application's own pipeline, so the platform's handling of
/// request bodies (bad JSON, wrong types, unknown fields, size) can be tested before any feature
/// has a body of its own. Errors still travel through the application's exception handler.
/// </summary>
public sealed class ProbeEndpoints : IStartupFilter
{
    public const string Path = "/test/probe";

    public const string ItemPath = "/test/probe/{id}";

    public static int Calls;

    public static int FilterCalls;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapPost(Path, Echo);
            // ASP.NET Core runs endpoint filters even when a route value failed to bind (with default
            // values); the platform must stop such a request before any filter or handler sees it.
            endpoints.MapGet(ItemPath, GetItem).AddEndpointFilter(async (context, next) =>
            {
                Interlocked.Increment(ref FilterCalls);
                return await next(context);
            });
        });
    };

    private static Ok<long> GetItem(long id)
    {
        Interlocked.Increment(ref Calls);
        return TypedResults.Ok(id);
    }

    private static Ok<ProbeBody> Echo(ProbeBody body)
    {
        Interlocked.Increment(ref Calls);
        return TypedResults.Ok(body);
    }
}
