using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform.Errors;

/// <summary>Typed ProblemDetails results for the expected outcomes handlers return.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with id {id}.");

    /// <summary>The caller asked about their own membership but has none (yet).</summary>
    public static ProblemHttpResult NotAMember() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "You are not a member yet.");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>A 400 naming the field at fault, in the same shape as the framework's validation errors.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Null when <paramref name="reason"/> is 2 to 200 characters after trimming; else a 400 naming the field.</summary>
    public static ValidationProblem? CheckReason(string? reason, string field = "reason", string message = "Give a reason of 2 to 200 characters.") =>
        reason?.Trim().Length is >= 2 and <= 200 ? null : Invalid(field, message);
}
