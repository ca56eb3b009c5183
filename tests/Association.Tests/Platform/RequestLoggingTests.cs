using Association.Tests.Infrastructure;

namespace Association.Tests.Platform;

public sealed class RequestLoggingTests(AssociationApp app) : IClassFixture<AssociationApp>
{
    [Fact]
    public async Task Request_WhenLogged_NamesRouteTemplateAndStatusButNotPathValuesOrQuery()
    {
        var client = app.CreateClient();

        await client.GetAsync("/api/org/units/73519");
        await client.GetAsync("/api/org/tree?rootId=86420");

        var lines = app.Logs.Lines.Where(l => l.Contains("HTTP GET", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("/api/org/units/{id} answered 404", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/api/org/tree answered 404", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("73519", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("86420", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_WhenAnsweredQuicklyWithoutServerError_IsLoggedAtDebugOnly()
    {
        var client = app.CreateClient();

        await client.GetAsync("/api/org/units/61234");

        var lines = app.Logs.Lines.Where(l => l.Contains("/api/org/units/{id} answered 404", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.StartsWith("Debug ", line, StringComparison.Ordinal));
    }
}
