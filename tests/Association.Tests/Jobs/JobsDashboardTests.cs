using System.Net;
using System.Net.Http.Json;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Jobs;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Association.Tests.Jobs;

public sealed class JobsDashboardTests(JobsDashboardTests.App app) : IClassFixture<JobsDashboardTests.App>
{
    public sealed class App : AssociationApp
    {
        public SignedIn SubDistrictAdmin { get; private set; } = null!;
        public SignedIn VillageAdmin { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await SeedDemoOrganisationAsync();
            SubDistrictAdmin = await this.SignInWithRoleAsync("sa", Role.SubDistrictAdmin, "TX-DTP");
            VillageAdmin = await this.SignInWithRoleAsync("va", Role.VillageAdmin, "TX-DTP-DT");
        }
    }

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Dashboard_WhenSubDistrictAdminOpensTheOneTimeLink_IsShownAndTheLinkIsSpent()
    {
        var link = (await (await app.SubDistrictAdmin.Client.PostAsync("/api/jobs/dashboard-link", null))
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
    public async Task Dashboard_WhenNoSessionOrNotASubDistrictAdmin_IsRefused()
    {
        var byVillageAdmin = await app.VillageAdmin.Client.PostAsync("/api/jobs/dashboard-link", null);
        var anonymous = await Browser().GetAsync(JobsDashboard.Path);

        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
