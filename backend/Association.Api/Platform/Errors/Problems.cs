using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform.Errors;

/// <summary>Typed ProblemDetails results for the expected outcomes handlers return.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with id {id}.");
}
