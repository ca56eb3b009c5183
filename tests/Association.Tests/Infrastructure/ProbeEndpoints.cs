using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

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

    /// <summary>A query MariaDB's connection is killed under, as when the server goes away mid-request.</summary>
    public const string KilledQueryPath = "/test/probe-killed-query";

    /// <summary>A bug: an exception no handler expects, carrying words that must never reach the caller.</summary>
    public const string BugPath = "/test/probe-bug";

    public const string BugSecret = "connection string Password=hunter2";

    public static int Calls;

    public static int FilterCalls;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapPost(Path, Echo);
            endpoints.MapGet(KilledQueryPath, KilledQueryAsync);
            endpoints.MapGet(BugPath, () => Results.Ok(Bug()));
            // ASP.NET Core runs endpoint filters even when a route value failed to bind (with default
            // values); the platform must stop such a request before any filter or handler sees it.
            endpoints.MapGet(ItemPath, GetItem).AddEndpointFilter(async (context, next) =>
            {
                Interlocked.Increment(ref FilterCalls);
                return await next(context);
            });
        });
    };

    private static async Task<Ok<int>> KilledQueryAsync(MySqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        var victim = connection.ServerThread;
        var killer = Task.Run(async () =>
        {
            await Task.Delay(300);
            await using var other = await db.OpenConnectionAsync();
            await other.ExecuteAsync("KILL CONNECTION " + victim.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        try
        {
            return TypedResults.Ok(await connection.ExecuteScalarAsync<int>("SELECT SLEEP(10)"));
        }
        finally
        {
            await killer;
        }
    }

    private static int Bug() => throw new InvalidOperationException(BugSecret);

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
