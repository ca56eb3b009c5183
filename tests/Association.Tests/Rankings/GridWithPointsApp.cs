using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Platform.Auth;
using Association.Api.Points;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;

namespace Association.Tests.Rankings;

/// <summary>The demo organisation, a SubDistrictAdmin, and members of one grid given points by adjustment, in order.</summary>
public abstract class GridWithPointsApp(string gridCode, int[] points) : AssociationApp
{
    public SignedIn SubDistrictAdmin { get; private set; } = null!;
    public long Grid { get; private set; }
    public List<(SignedIn Person, MemberView Member)> Members { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedDemoOrganisationAsync();
        SubDistrictAdmin = await this.SignInWithRoleAsync("sa", Role.SubDistrictAdmin, "TX-DTP");
        Grid = await this.UnitIdAsync(gridCode);
        foreach (var given in points)
        {
            var member = await this.NewMemberAsync(SubDistrictAdmin, Grid);
            Members.Add(member);
            (await SubDistrictAdmin.Client.PostAsJsonAsync("/api/points/adjustments",
                new AdjustmentRequest(member.Member.Id, given, "活动积分"))).EnsureSuccessStatusCode();
        }
    }
}
