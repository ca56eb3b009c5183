using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Association.Api.Platform;

/// <summary>
/// A 200 whose JSON body was serialised earlier (a cached answer). It declares <typeparamref name="T"/> as its
/// response, so the contract reads exactly as for <c>Ok&lt;T&gt;</c>.
/// </summary>
public sealed class JsonBytes<T>(byte[] utf8Json) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = utf8Json.Length;
        return response.Body.WriteAsync(utf8Json, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
