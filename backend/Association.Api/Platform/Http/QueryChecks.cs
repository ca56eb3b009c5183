using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform.Http;

/// <summary>Checks of route and query values; request bodies state their own rules (<see cref="IValidatedRequest"/>).</summary>
public static class QueryChecks
{
    public static ValidationProblem? Year(int year, string field = "year") =>
        year is < 2000 or > 2100 ? Problems.Invalid(field, "validation.year") : null;
}
