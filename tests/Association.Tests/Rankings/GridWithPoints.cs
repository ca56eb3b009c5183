using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Points;
using Association.Tests.Infrastructure;
using Association.Tests.Members;

namespace Association.Tests.Rankings;

/// <summary>Members of one grid given points by adjustment, in order, arranged once per test class.</summary>
public sealed record GridWithPoints(long Grid, IReadOnlyList<(SignedIn Person, MemberView Member)> Members)
{
    public static Task<GridWithPoints> ArrangeOnceAsync(DemoApp app, string gridCode, int[] points) =>
        app.OnceAsync($"grid with points:{gridCode}", async () =>
        {
            var admin = await app.SubDistrictAdminAsync();
            var grid = await app.UnitAsync(gridCode);
            var members = new List<(SignedIn Person, MemberView Member)>();
            foreach (var given in points)
            {
                var member = await app.NewMemberAsync(admin, grid);
                members.Add(member);
                (await admin.Client.PostAsJsonAsync("/api/points/adjustments",
                    new AdjustmentRequest(member.Member.Id, given, "活动积分"))).EnsureSuccessStatusCode();
            }
            return new GridWithPoints(grid, members);
        });
}
