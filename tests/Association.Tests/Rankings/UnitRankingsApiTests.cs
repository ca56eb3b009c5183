using System.Net;
using System.Net.Http.Json;
using Association.Api.Points;
using Association.Api.Rankings;
using Association.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Rankings;

/// <summary>桂井村's three grids ranked: the first has two members on patrol, the second one idle member, the third none.</summary>
public sealed class UnitRankingsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    public async Task InitializeAsync() => await app.OnceAsync("unit-ranking-work", async () =>
    {
        var leader = await app.GridLeaderAsync("TX-DTP-GJ-01");
        foreach (var name in new[] { "周一", "周二" })
        {
            var (_, member) = await app.NewMemberAsync("TX-DTP-GJ-01", name);
            var startedAt = app.Clock.Now.AddHours(-1);
            var participation = await app.ConfirmedPatrolAsync(member.Id, leader.UserId, startedAt);
            (await (await app.SubDistrictAdminAsync()).Client.PostAsJsonAsync("/api/points/awards",
                new AwardRequest(member.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, participation, 1, startedAt))).EnsureSuccessStatusCode();
        }
        await app.NewMemberAsync("TX-DTP-GJ-02", "吴三");
        // As the schedule runs them: the hourly rollup, then the ranking job reading it.
        await app.Services.GetRequiredService<Association.Api.Figures.FiguresRollupJob>().RunAsync(default);
        await app.Services.GetRequiredService<RankingsJob>().RunAsync(default);
        return true;
    });

    public Task DisposeAsync() => Task.CompletedTask;

    private string Quarter => Association.Api.Platform.Quarter.Of(app.Clock.Today).ToString();

    private async Task<UnitRankingView> VillageRankingAsync(SignedIn reader) =>
        (await reader.Client.GetFromJsonAsync<UnitRankingView>($"/api/unit-rankings/{Quarter}/Village/{await app.UnitAsync("TX-DTP-GJ")}"))!;

    [Fact]
    public async Task GetUnitRanking_ForAVillage_RanksItsGridsOnEachMeasureAndTheWeightedComposite()
    {
        var ranking = await VillageRankingAsync(await app.VillageAdminAsync("TX-DTP-GJ"));

        Assert.Equal(3, ranking.Entries.Count);
        var first = ranking.Entries[0];
        Assert.Equal((await app.UnitAsync("TX-DTP-GJ-01"), 1), (first.UnitId, first.Rank));
        Assert.Equal(8, first.Parts.Count);
        Assert.Equal(100, first.Parts.Sum(p => p.Weight));
        Assert.Equal(Math.Round(2 * 1000m / 233, 4), first.Parts.Single(p => p.Measure == UnitMeasure.Coverage).Value);
        Assert.Equal(1000m, first.Parts.Single(p => p.Measure == UnitMeasure.ConfirmedPatrolShare).Value);
        Assert.Equal(Math.Round(first.Parts.Sum(p => p.Score * p.Weight / 100), 3), first.Composite, 2);
        var idleGrid = await app.UnitAsync("TX-DTP-GJ-02");
        var idle = ranking.Entries.Single(e => e.UnitId == idleGrid);
        Assert.Equal(0m, idle.Parts.Single(p => p.Measure == UnitMeasure.PointsPerMember).Value);
        Assert.True(idle.Composite < first.Composite);
    }

    [Fact]
    public async Task GetUnitRanking_ForAGridLeaderOfTheVillage_IsReadableButNotAnotherVillagesOrAGridScope()
    {
        var leader = await app.GridLeaderAsync("TX-DTP-GJ-03");

        var own = await leader.Client.GetAsync($"/api/unit-rankings/{Quarter}/Village/{await app.UnitAsync("TX-DTP-GJ")}");
        var other = await leader.Client.GetAsync($"/api/unit-rankings/{Quarter}/Village/{await app.UnitAsync("TX-DTP-XL")}");
        var gridScope = await leader.Client.GetAsync($"/api/unit-rankings/{Quarter}/Grid/{await app.UnitAsync("TX-DTP-GJ-03")}");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await other.AssertProblemAsync(HttpStatusCode.NotFound);
        (await gridScope.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("scope", "unitRankings.scope.grid");
    }

    [Fact]
    public async Task SetUnitWeights_WhenTheyDoNotAddUpOrTheCallerIsNotTheSubDistrictAdmin_IsRefusedAndOtherwiseRanksByThem()
    {
        var admin = await app.SubDistrictAdminAsync();
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var url = $"/api/unit-rankings/weights/{await app.UnitAsync(DemoApp.SubDistrict)}/{app.Clock.Today.Year}";
        var onlyCoverage = UnitMeasures.Parts.Select(m => new UnitWeight(m, m == UnitMeasure.Coverage ? 100 : 0)).ToList();

        var short_ = await admin.Client.PutAsJsonAsync(url, new UnitWeightsRequest(onlyCoverage.Select(w => w with { Weight = w.Weight == 100 ? 90 : 0 }).ToList()));
        var missing = await admin.Client.PutAsJsonAsync(url, new UnitWeightsRequest(onlyCoverage.Skip(1).ToList()));
        var byVillage = await village.Client.PutAsJsonAsync(url, new UnitWeightsRequest(onlyCoverage));
        var defaults = (await admin.Client.GetFromJsonAsync<UnitWeightsView>(url))!;
        var set = await admin.Client.PutAsJsonAsync(url, new UnitWeightsRequest(onlyCoverage));
        await app.Services.GetRequiredService<RankingsJob>().ComputeAsync(Quarter, finalise: false, default);
        var ranking = await VillageRankingAsync(village);

        (await short_.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("weights", "unitRankings.weights.sum");
        (await missing.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("weights", "unitRankings.weights.parts");
        Assert.Equal("unitRankings.weights.notSubDistrictAdmin", (await byVillage.AssertProblemAsync(HttpStatusCode.Forbidden)).Code());
        Assert.True(defaults.IsDefault);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.False((await set.Content.ReadFromJsonAsync<UnitWeightsView>())!.IsDefault);
        var first = ranking.Entries[0];
        Assert.Equal(first.Parts.Single(p => p.Measure == UnitMeasure.Coverage).Score, first.Composite);
        // Put back for the other tests of the class.
        (await admin.Client.PutAsJsonAsync(url, new UnitWeightsRequest(UnitMeasures.DefaultWeights.Select(w => new UnitWeight(w.Key, w.Value)).ToList()))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task GetUnitRanking_OfAFinalQuarter_NeverChangesAgain()
    {
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var job = app.Services.GetRequiredService<RankingsJob>();
        var previous = Association.Api.Platform.Quarter.Of(app.Clock.Today).Previous.ToString();
        await job.ComputeAsync(previous, finalise: true, default);
        var url = $"/api/unit-rankings/{previous}/Village/{await app.UnitAsync("TX-DTP-GJ")}";
        var before = await village.Client.GetStringAsync(url);

        var (_, member) = await app.NewMemberAsync("TX-DTP-GJ-03", "郑四");
        await app.ConfirmedPatrolAsync(member.Id, (await app.GridLeaderAsync("TX-DTP-GJ-03")).UserId,
            Association.Api.Platform.Quarter.Parse(previous).StartsAt.AddDays(3));
        var recomputed = await job.ComputeAsync(previous, finalise: true, default);

        Assert.False(recomputed);
        Assert.Contains("\"status\":\"Final\"", before);
        Assert.Equal(before, await village.Client.GetStringAsync(url));
    }
}
