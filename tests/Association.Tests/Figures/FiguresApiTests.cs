using System.Net;
using System.Net.Http.Json;
using Association.Api.Figures;
using Association.Api.GridReports;
using Association.Api.Platform;
using Association.Api.Points;
using Association.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Figures;

/// <summary>Figures of 桂井村 (GJ) against what its first grid was hand-given: three members, a patrol, two reports, publicity, a cover.</summary>
public sealed class FiguresApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private const string Grid = "TX-DTP-GJ-01";
    private const int GridHouseholds = 233;

    private long[] _members = [];

    // xunit makes a class instance per test; the work is done once per fixture.
    public async Task InitializeAsync() => _members = await app.OnceAsync("figures-work", DoWorkAsync);

    private async Task<long[]> DoWorkAsync()
    {
        var leader = await app.GridLeaderAsync(Grid);
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var people = new List<(SignedIn Person, long Id)>();
        foreach (var name in new[] { "孙一", "孙二", "孙三" })
        {
            var (person, member) = await app.NewMemberAsync(Grid, name);
            people.Add((person, member.Id));
        }
        var members = people.Select(p => p.Id).ToArray();
        await app.ConfirmedPatrolAsync(members[0], leader.UserId, app.Clock.Now.AddHours(-1));
        var gridId = await app.UnitAsync(Grid);
        var hazard = await SubmitAsync(people[0].Person, new NewReportRequest(gridId, ReportKind.SafetyHazard, "消防通道被电动车堵住", null, null, null, null, Urgency.Normal));
        (await leader.Client.PostAsync($"/api/grid-reports/{hazard.Id}/accept", null)).EnsureSuccessStatusCode();
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{hazard.Id}/resolve", new TransitionRequest("已清理"))).EnsureSuccessStatusCode();
        var dispute = await SubmitAsync(people[1].Person, new NewReportRequest(gridId, ReportKind.Dispute, "邻里因停车位发生争执", null, null, null, null, Urgency.Normal));
        (await leader.Client.PostAsync($"/api/grid-reports/{dispute.Id}/accept", null)).EnsureSuccessStatusCode();
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{dispute.Id}/escalate", new EscalateRequest("需要村里协调"))).EnsureSuccessStatusCode();
        (await village.Client.PostAsJsonAsync($"/api/grid-reports/{dispute.Id}/resolve", new TransitionRequest("村调委会调解成功"))).EnsureSuccessStatusCode();
        await app.PublishedPublicityAsync(members[2], leader.UserId, app.Clock.Today);
        await app.InsuranceCoverageAsync(members[0], village.UserId);
        await app.Services.GetRequiredService<FiguresRollupJob>().RunAsync(default);
        return members;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<GridReportView> SubmitAsync(SignedIn person, NewReportRequest request)
    {
        var response = await person.Client.PostAsJsonAsync("/api/grid-reports", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GridReportView>())!;
    }

    // From last month, so work done just after midnight on the 1st is still in the range.
    private string Range => $"from={Months.Written(FigureRollup.MonthOf(app.Clock.Today).AddMonths(-1))}&to={Months.Written(FigureRollup.MonthOf(app.Clock.Today))}";

    [Fact]
    public async Task GetFigures_ForTheVillage_CountsWhatItsGridDidAndAddsItUpForTheVillage()
    {
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var gridId = await app.UnitAsync(Grid);

        var view = (await village.Client.GetFromJsonAsync<FiguresView>($"/api/figures/{await app.UnitAsync("TX-DTP-GJ")}?{Range}"))!;

        Assert.Equal(4, view.Units.Count);
        Assert.True(view.Units[0].Self);
        Assert.Equal(200, view.CoverageTargetPermille);
        Assert.NotNull(view.ComputedAt);
        var grid = view.Units.Single(u => u.UnitId == gridId);
        var months = grid.Periods;
        Assert.Equal(2, months.Count);
        var now = months[^1];
        Assert.Equal((3, 3, GridHouseholds, 13), (months.Sum(m => m.MembersJoined), now.MembersAtEnd, now.Households, now.CoveragePermille));
        // The patrol helper ends an hour and five minutes after the start: 65 minutes, 1.1 hours.
        Assert.Equal((1, 1, 1.1m), (months.Sum(m => m.Patrols), months.Sum(m => m.PatrolsConfirmed), months.Sum(m => m.PatrolHours)));
        Assert.Equal((2, 2, 2, 2, 0), (months.Sum(m => m.Reports), months.Sum(m => m.ReportsAccepted), months.Sum(m => m.ReportsResolved),
            months.Sum(m => m.ReportsResolvedOnTime), months.Sum(m => m.ReportsOverdue)));
        Assert.Equal((1, 1, 0, 1, 1), (months.Sum(m => m.ResolvedAtGrid), months.Sum(m => m.ResolvedAtVillage), months.Sum(m => m.ResolvedAtSubDistrict),
            months.Sum(m => m.DisputesResolved), months.Sum(m => m.DisputesSettledLocally)));
        Assert.Equal((1, 1, 333), (months.Sum(m => m.PublicityPublished), now.InsuredAtEnd, now.InsuredPermille));
        Assert.Equal(0, months.Last(m => m.MedianHoursToAccept is not null).MedianHoursToAccept);
        Assert.Equal([(ReportKind.SafetyHazard, ReportStatus.Resolved, 1), (ReportKind.Dispute, ReportStatus.Resolved, 1)],
            months.SelectMany(m => m.ReportsByKindAndState).Select(c => (c.Kind, c.Status, c.Reports)).Order());
        Assert.Equal(await LedgerPointsAsync(village), months.Sum(m => m.PointsEarned));
        Assert.True(months.Sum(m => m.PointsEarned) > 0);
        var self = view.Units[0].Periods;
        Assert.Equal((3, 2, 1), (self[^1].MembersAtEnd, self.Sum(m => m.Reports), self.Sum(m => m.ResolvedAtVillage)));
        Assert.Equal(GridHouseholds + 305 + 219, self[^1].Households);
        Assert.Equal(3, Assert.Single(grid.Recruitment, r => r.Year == app.Clock.Today.Year).Recruited);
    }

    [Fact]
    public async Task GetFigures_PerQuarter_GivesOnePeriodPerQuarterWithTheStocksOfItsLastMonth()
    {
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var quarter = Quarter.Of(app.Clock.Today);

        var view = (await village.Client.GetFromJsonAsync<FiguresView>(
            $"/api/figures/{await app.UnitAsync(Grid)}?period=Quarter&from={Months.Written(quarter.FirstDay)}&to={Months.Written(quarter.FirstDay)}"))!;

        var period = Assert.Single(Assert.Single(view.Units).Periods);
        Assert.Equal((quarter.ToString(), quarter.FirstDay, quarter.LastDay), (period.Period, period.From, period.To));
        Assert.Equal(3, period.MembersAtEnd);
    }

    [Fact]
    public async Task GetFigures_WhenAskedBadlyOrOutOfScope_AnswersWithTheFieldOrAsIfTheUnitWereMissing()
    {
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var otherLeader = await app.GridLeaderAsync("TX-DTP-GJ-02");
        var gj = await app.UnitAsync("TX-DTP-GJ");

        var reversed = await village.Client.GetAsync($"/api/figures/{gj}?from=2026-06&to=2026-01");
        var tooLong = await village.Client.GetAsync($"/api/figures/{gj}?from=2023-01&to=2026-12");
        var notAMonth = await village.Client.GetAsync($"/api/figures/{gj}?from=2026-13");
        var otherVillage = await village.Client.GetAsync($"/api/figures/{await app.UnitAsync("TX-DTP-XL")}");
        var siblingGrid = await otherLeader.Client.GetAsync($"/api/figures/{await app.UnitAsync(Grid)}");
        var unknown = await village.Client.GetAsync("/api/figures/99999999");

        (await reversed.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("to", "figures.period.reversed");
        (await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("to", "figures.period.tooLong");
        (await notAMonth.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("from", "validation.month");
        var missing = (await unknown.AssertProblemAsync(HttpStatusCode.NotFound)).Code();
        Assert.Equal(missing, (await otherVillage.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal(missing, (await siblingGrid.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task RollUp_WhenRunTwiceAtOnce_WritesTheSameFigures()
    {
        var job = app.Services.GetRequiredService<FiguresRollupJob>();
        var village = await app.VillageAdminAsync("TX-DTP-GJ");
        var url = $"/api/figures/{await app.UnitAsync("TX-DTP-GJ")}?{Range}";
        var before = await village.Client.GetStringAsync(url);

        await Task.WhenAll(job.RunAsync(default), app.Services.GetRequiredService<FiguresRollupJob>().RunAsync(default));

        var after = (await village.Client.GetFromJsonAsync<FiguresView>(url))!;
        var earlier = System.Text.Json.JsonSerializer.Deserialize<FiguresView>(before, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(earlier.Units), System.Text.Json.JsonSerializer.Serialize(after.Units));
    }

    private async Task<int> LedgerPointsAsync(SignedIn reader)
    {
        var total = 0;
        foreach (var id in _members)
        {
            total += (await reader.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{id}?pageSize=100"))!.Entries.Sum(e => e.Points);
        }
        return total;
    }
}
