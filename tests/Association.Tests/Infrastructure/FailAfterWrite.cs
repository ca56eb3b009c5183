using Association.Api.Platform.Http;
using Microsoft.AspNetCore.Http;

namespace Association.Tests.Infrastructure;

/// <summary>
/// A request sent with <see cref="Header"/> fails once its handler has returned, its write committed: the phone gets a
/// 500 instead of the answer, as when the instance dies (or the network drops) between the commit and the answer.
/// </summary>
public sealed class FailAfterWrite : IAfterWriteFaults
{
    public const string Header = "X-Test-Fail-After-Write";

    public void AfterWrite(HttpContext http)
    {
        if (http.Request.Headers.ContainsKey(Header))
        {
            throw new InvalidOperationException("The test's instance dies after the write committed.");
        }
    }
}
