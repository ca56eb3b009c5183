using System.Net;
using System.Net.Http.Json;
using Association.Api.Platform.Jobs;
using Association.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Association.Tests.Platform.Jobs;

public sealed class JobsDashboardTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn SubDistrictAdmin { get; set; } = null!;
    private SignedIn VillageAdmin { get; set; } = null!;

    public async Task InitializeAsync()
    {
        SubDistrictAdmin = await app.SubDistrictAdminAsync();
        VillageAdmin = await app.VillageAdminAsync("TX-DTP-DT");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Dashboard_WhenSubDistrictAdminOpensTheOneTimeLink_IsShownAndTheLinkIsSpent()
    {
        var link = (await (await SubDistrictAdmin.Client.PostAsync("/api/jobs/dashboard-link", null))
            .Content.ReadFromJsonAsync<JobsDashboard.DashboardLink>())!;
        var browser = Browser();

        var opened = await browser.GetAsync(link.Url);
        var dashboard = await browser.GetAsync(JobsDashboard.Path);
        var again = await Browser().GetAsync(link.Url);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Association jobs", await dashboard.Content.ReadAsStringAsync());
        await again.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Dashboard_WhenItsCookieIsSentAsABearerTokenOrABearerTokenAsItsCookie_IsRefusedBothWays()
    {
        var link = (await (await SubDistrictAdmin.Client.PostAsync("/api/jobs/dashboard-link", null))
            .Content.ReadFromJsonAsync<JobsDashboard.DashboardLink>())!;
        var opened = await Browser().GetAsync(link.Url);
        var cookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("assoc_jobs=", StringComparison.Ordinal));
        var dashboardToken = cookie["assoc_jobs=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];

        var asBearer = app.CreateClient();
        asBearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", dashboardToken);
        var me = await asBearer.GetAsync("/api/me");
        using var withApiToken = new HttpRequestMessage(HttpMethod.Get, JobsDashboard.Path);
        withApiToken.Headers.Add("Cookie", "assoc_jobs=" + SubDistrictAdmin.Session.AccessToken);
        var dashboard = await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false })
            .SendAsync(withApiToken);

        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
        await me.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Dashboard_WhenNoSessionOrNotASubDistrictAdmin_IsRefused()
    {
        var byVillageAdmin = await VillageAdmin.Client.PostAsync("/api/jobs/dashboard-link", null);
        var anonymous = await Browser().GetAsync(JobsDashboard.Path);

        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
