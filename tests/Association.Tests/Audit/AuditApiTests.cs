using System.Net;
using System.Net.Http.Json;
using Association.Api.Audit;
using Association.Api.Members;
using Association.Api.Roles;
using Association.Tests.Infrastructure;

namespace Association.Tests.Audit;

public sealed class AuditApiTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task ListAudit_WhenASubDistrictAdminReads_ShowsRevealsAndRoleChangesOfTheirSubDistrictNewestFirst()
    {
        var admin = await app.SubDistrictAdminAsync();
        var villageAdmin = await app.VillageAdminAsync("TX-DTP-GJ");
        var (_, member) = await app.NewMemberAsync("TX-DTP-GJ-01");
        var newLeader = await app.SignInAsync("audit-leader-" + Guid.NewGuid().ToString("N")[..6]);
        var grid = await app.UnitAsync("TX-DTP-GJ-02");
        (await admin.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", new RevealRequest(PersonalField.IdNumber, "核对保险名单"))).EnsureSuccessStatusCode();
        var refused = await villageAdmin.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", new RevealRequest(PersonalField.Phone, "联系会员本人"));
        (await admin.Client.PostAsJsonAsync($"/api/org/units/{grid}/roles", new AssignRoleRequest(newLeader.UserId, Role.GridLeader))).EnsureSuccessStatusCode();

        var all = (await admin.Client.GetFromJsonAsync<List<AuditEntry>>("/api/audit?pageSize=100"))!;
        var reveals = (await admin.Client.GetFromJsonAsync<List<AuditEntry>>("/api/audit?kind=Reveal&pageSize=100"))!;
        var firstPage = (await admin.Client.GetFromJsonAsync<List<AuditEntry>>("/api/audit?pageSize=1"))!;
        var byVillageAdmin = await villageAdmin.Client.GetAsync("/api/audit");

        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(all, e => e is { Kind: AuditKind.RoleChange, Role: "GridLeader", Change: "Assigned" } && e.UserId == newLeader.UserId && e.UnitId == grid);
        Assert.Contains(reveals, e => e.MemberId == member.Id && e is { Field: "IdNumber", Outcome: "Revealed", Purpose: "核对保险名单" } && e.ByUserId == admin.UserId);
        Assert.Contains(reveals, e => e.MemberId == member.Id && e is { Field: "Phone", Outcome: "Refused" } && e.ByUserId == villageAdmin.UserId);
        Assert.All(reveals, e => Assert.Equal(AuditKind.Reveal, e.Kind));
        Assert.Equal(all.OrderByDescending(e => e.At).Select(e => e.At), all.Select(e => e.At));
        Assert.Equal(all[0], Assert.Single(firstPage));
        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListAudit_WhenFilteredByPeriod_ShowsOnlyTheEntriesInIt()
    {
        var admin = await app.SubDistrictAdminAsync();
        var (_, member) = await app.NewMemberAsync("TX-DTP-GJ-01");
        (await admin.Client.PostAsJsonAsync($"/api/members/{member.Id}/reveal", new RevealRequest(PersonalField.IdNumber, "核对保险名单"))).EnsureSuccessStatusCode();
        var since = app.Clock.Now.AddMinutes(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var recent = (await admin.Client.GetFromJsonAsync<List<AuditEntry>>($"/api/audit?kind=Reveal&from={Uri.EscapeDataString(since)}"))!;
        var future = (await admin.Client.GetFromJsonAsync<List<AuditEntry>>(
            $"/api/audit?from={Uri.EscapeDataString(app.Clock.Now.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}"))!;

        Assert.Contains(recent, e => e.MemberId == member.Id);
        Assert.Empty(future);
    }
}
