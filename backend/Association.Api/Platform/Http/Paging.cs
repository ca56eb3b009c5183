using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Association.Api.Platform.Http;

public static class Paging
{
    /// <summary>The hard cap: no list answers more rows than this in one page.</summary>
    public const int MaxPageSize = 100;

    public static ValidationProblem? Check(int page, int pageSize) =>
        page is < 1 or > 100_000 ? Problems.Invalid("page", "http.paging.page")
        : pageSize is < 1 or > MaxPageSize ? Problems.Invalid("pageSize", "http.paging.pageSize", MaxPageSize)
        : null;
}
