using Association.Tests.Infrastructure;

namespace Association.Tests.Points;

/// <summary>The cast the points tests write with: the leader of grid HH-01, the admin of its village, the SubDistrictAdmin.</summary>
public abstract class LedgerTests(DemoApp fixture) : IClassFixture<DemoApp>, IAsyncLifetime
{
    protected DemoApp App { get; } = fixture;

    protected SignedIn LeaderHh01 { get; private set; } = null!;
    protected SignedIn VillageAdminHh { get; private set; } = null!;
    protected SignedIn SubDistrictAdmin { get; private set; } = null!;
    protected long GridHh01 { get; private set; }

    public async Task InitializeAsync()
    {
        LeaderHh01 = await App.GridLeaderAsync("TX-DTP-HH-01");
        VillageAdminHh = await App.VillageAdminAsync("TX-DTP-HH");
        SubDistrictAdmin = await App.SubDistrictAdminAsync();
        GridHh01 = await App.UnitAsync("TX-DTP-HH-01");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
