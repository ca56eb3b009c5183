namespace Association.Api.Platform.Http;

public static class Paging
{
    /// <summary>The hard cap: no list answers more rows than this in one page.</summary>
    public const int MaxPageSize = 100;
}
