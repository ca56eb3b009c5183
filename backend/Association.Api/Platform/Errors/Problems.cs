using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Association.Api.Platform.Errors;

/// <summary>
/// Typed ProblemDetails results for the expected outcomes handlers return. Each names a stable code from
/// <see cref="Messages"/>; the words are chosen when the answer is written, in the caller's language.
/// </summary>
public static class Problems
{
    public const string ValidationFailed = "validation.failed";

    public static ProblemHttpResult NotFound(string code, params object[] args) => Problem(StatusCodes.Status404NotFound, code, args);

    /// <summary>The caller asked about their own membership but has none (yet).</summary>
    public static ProblemHttpResult NotAMember() => NotFound("membership.member.notYet");

    public static ProblemHttpResult Forbidden(string code, params object[] args) => Problem(StatusCodes.Status403Forbidden, code, args);

    public static ProblemHttpResult Conflict(string code, params object[] args) => Problem(StatusCodes.Status409Conflict, code, args);

    public static ProblemHttpResult Problem(int status, string code, params object[] args)
    {
        var problem = new ProblemDetails { Status = status };
        ProblemText.Attach(problem, code, args);
        return TypedResults.Problem(problem);
    }

    /// <summary>A 400 naming the field at fault, in the same shape as every other validation answer.</summary>
    public static ValidationProblem Invalid(string field, string code, params object[] args) => Invalid([new FieldError(field, code, args)]);

    public static ValidationProblem Invalid(IReadOnlyList<FieldError> errors)
    {
        var result = TypedResults.ValidationProblem(errors.GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Code).ToArray()));
        ProblemText.Attach(result.ProblemDetails, ValidationFailed, [], errors);
        return result;
    }

    /// <summary>A problem written outside a handler (middleware, authentication, the exception handler).</summary>
    public static ProblemDetails Details(int status, string code, params object[] args)
    {
        var problem = new ProblemDetails { Status = status };
        ProblemText.Attach(problem, code, args);
        return problem;
    }
}
