using System.Collections.Concurrent;
using System.Reflection;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Association.Api.Platform.Http;

/// <summary>
/// An enum in a query string by its name only, as in JSON (<see cref="EnumNames{TEnum}"/>): minimal APIs bind query
/// enums through <see cref="Enum.TryParse(Type, string?, bool, out object?)"/>, which also takes numbers (<c>?status=5</c>)
/// and lists of names (<c>?status=A,B</c>), values no code expects. Such a value is a 400 naming the parameter.
/// </summary>
public sealed class QueryEnumNames(RequestDelegate next)
{
    private sealed record EnumParameter(string Name, Type Type);

    private static readonly ConcurrentDictionary<Endpoint, EnumParameter[]> ByEndpoint = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { } endpoint && context.Request.QueryString.HasValue)
        {
            foreach (var parameter in ByEndpoint.GetOrAdd(endpoint, QueryEnumsOf))
            {
                foreach (var value in context.Request.Query[parameter.Name])
                {
                    if (value is not null && !Enum.GetNames(parameter.Type).Contains(value, StringComparer.OrdinalIgnoreCase))
                    {
                        await Problems.Invalid(parameter.Name, "http.query.enumName").ExecuteAsync(context);
                        return;
                    }
                }
            }
        }
        await next(context);
    }

    // A handler's enum parameters that bind from the query: not the body, a route value or a service.
    private static EnumParameter[] QueryEnumsOf(Endpoint endpoint)
    {
        var route = (endpoint as RouteEndpoint)?.RoutePattern;
        return endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .Select(p => (Parameter: p, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .Where(p => p.Type.IsEnum && p.Parameter.Name is not null
                && p.Parameter.GetCustomAttribute<FromBodyAttribute>() is null && p.Parameter.GetCustomAttribute<FromRouteAttribute>() is null
                && route?.GetParameter(p.Parameter.Name) is null)
            .Select(p => new EnumParameter(p.Parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Parameter.Name!, p.Type))
            .ToArray() ?? [];
    }
}
