using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform.Xlsx;

public static class ExportLimits
{
    /// <summary>More rows than a sheet holds: the caller narrows the period or the unit.</summary>
    public static ProblemHttpResult TooManyRows() => Problems.Problem(StatusCodes.Status422UnprocessableEntity, "exports.tooManyRows", XlsxSheet.MaxRows);
}
