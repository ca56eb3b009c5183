using System.Collections.Concurrent;
using Association.Api.Members;
using Association.Api.Roles;
using Association.Tests.Members;

namespace Association.Tests.Infrastructure;

/// <summary>
/// The one shared fixture: the application on its own database with the demo organisation (Datuopu, its villages and
/// grids) and the demo points rules, seeded once per test class, and a cast of people signed in the first time a test
/// asks for them. Test classes that need a host configured differently derive from it or from <see cref="AssociationApp"/>.
/// </summary>
public class DemoApp : AssociationApp
{
    public const string District = "TX", SubDistrict = "TX-DTP";

    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _once = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartHost();
        await SeedDemoOrganisationAsync();
        await SeedDemoPointRulesAsync();
    }

    /// <summary>Where a derived fixture starts its host before the seeding touches it (real Kestrel, say).</summary>
    protected virtual void StartHost()
    {
    }

    public Task<SignedIn> SubDistrictAdminAsync() => CastAsync(Role.SubDistrictAdmin, SubDistrict);

    /// <summary>The district's office (区平安建设领导小组办公室), above the sub-district.</summary>
    public Task<SignedIn> DistrictAdminAsync() => CastAsync(Role.DistrictAdmin, District);

    /// <param name="village">A village's code, such as TX-DTP-HH.</param>
    public Task<SignedIn> VillageAdminAsync(string village) => CastAsync(Role.VillageAdmin, village);

    /// <param name="grid">A grid's code, such as TX-DTP-HH-01.</param>
    public Task<SignedIn> GridLeaderAsync(string grid) => CastAsync(Role.GridLeader, grid);

    /// <summary>A resident signed in with WeChat, holding no role and not a member.</summary>
    public Task<SignedIn> ResidentAsync() => OnceAsync("resident", () => this.SignInAsync("resident"));

    /// <summary>The one person holding <paramref name="role"/> on the unit, signed in once per class.</summary>
    public Task<SignedIn> CastAsync(Role role, string unitCode) =>
        OnceAsync($"cast:{role}:{unitCode}", () => this.SignInWithRoleAsync(CastUser(role, unitCode), role, unitCode));

    /// <summary>The WeChat user behind <see cref="CastAsync"/>, for a test that has them do something else too.</summary>
    public static string CastUser(Role role, string unitCode) => $"{role}-{unitCode}".ToLowerInvariant();

    public Task<long> UnitAsync(string code) => OnceAsync($"unit:{code}", () => this.UnitIdAsync(code));

    /// <summary>A new member of the grid, approved by the admin of its village.</summary>
    public async Task<(SignedIn Person, MemberView Member)> NewMemberAsync(string grid, string name = "李四", string? user = null) =>
        await this.NewMemberAsync(await VillageAdminAsync(VillageOf(grid)), await UnitAsync(grid), name, user);

    /// <summary>Arranges something once per class (members with points, say) and answers the same result to every test.</summary>
    public async Task<T> OnceAsync<T>(string key, Func<Task<T>> arrange) where T : notnull =>
        (T)await _once.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await arrange())).Value;

    private static string VillageOf(string grid) => grid[..grid.LastIndexOf('-')];
}
