using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform.Http;

public static class Paging
{
    /// <summary>The hard cap: no list answers more rows than this in one page.</summary>
    public const int MaxPageSize = 100;

    public static ValidationProblem? Check(int page, int pageSize) =>
        page < 1 ? Problems.Invalid("page", "Pages start at 1.")
        : pageSize is < 1 or > MaxPageSize ? Problems.Invalid("pageSize", $"A page holds 1 to {MaxPageSize} rows.")
        : page > 100_000 ? Problems.Invalid("page", "Narrow the search instead of paging this far.")
        : null;
}
