using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Association.Api.Audit;
using Association.Api.GridReports;
using Association.Api.Platform;
using Association.Api.Platform.Errors;
using Association.Api.Points;
using Association.Api.Rankings;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Exports;

/// <summary>
/// Sheets exported from 新丰村 (XF) after hand-made work in its first grid: a member with two patrols awarded, a dispute raised
/// to the village and resolved there. Each sheet is read back by another library and its rows checked.
/// </summary>
public sealed class ExportsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private const string Village = "TX-DTP-XF";
    private const string Grid = "TX-DTP-XF-01";
    private const string MemberName = "钱多巡";

    private Work _work = null!;

    private sealed record Work(SignedIn Member, long MemberId, string MemberNumber, long ReportId, int PointsAwarded, DateTimeOffset FirstPatrolAt);

    public async Task InitializeAsync() => _work = await app.OnceAsync("exports-work", async () =>
    {
        var leader = await app.GridLeaderAsync(Grid);
        var village = await app.VillageAdminAsync(Village);
        var (person, member) = await app.NewMemberAsync(Grid, MemberName);
        var awarded = 0;
        // Both patrols on one China day, so they fall in one quarter whatever the clock says.
        var firstPatrolAt = app.Clock.Now.AddHours(-5);
        if (firstPatrolAt.ChinaDay() != firstPatrolAt.AddHours(2).ChinaDay())
        {
            firstPatrolAt = firstPatrolAt.AddHours(-3);
        }
        foreach (var hoursAgo in new[] { 5, 3 })
        {
            var startedAt = firstPatrolAt.AddHours(5 - hoursAgo);
            var participation = await app.ConfirmedPatrolAsync(member.Id, leader.UserId, startedAt, hours: 2);
            var award = await village.Client.PostAsJsonAsync("/api/points/awards",
                new AwardRequest(member.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, participation, 1, startedAt));
            award.EnsureSuccessStatusCode();
            awarded += (await award.Content.ReadFromJsonAsync<PointEntry>())!.Points;
        }
        var report = await person.Client.PostAsJsonAsync("/api/grid-reports", new NewReportRequest(await app.UnitAsync(Grid), ReportKind.Dispute,
            "两户因楼道堆物发生争执", "3栋2单元", null, null, null, Urgency.Normal));
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        var reportId = (await report.Content.ReadFromJsonAsync<GridReportView>())!.Id;
        (await leader.Client.PostAsync($"/api/grid-reports/{reportId}/accept", null)).EnsureSuccessStatusCode();
        (await leader.Client.PostAsJsonAsync($"/api/grid-reports/{reportId}/escalate", new EscalateRequest("双方不接受网格调解"))).EnsureSuccessStatusCode();
        (await village.Client.PostAsJsonAsync($"/api/grid-reports/{reportId}/resolve", new TransitionRequest("村调委会调解，楼道已清理"))).EnsureSuccessStatusCode();
        await app.Services.GetRequiredService<RankingsJob>().RunAsync(default);
        return new Work(person, member.Id, member.MemberNumber!, reportId, awarded, firstPatrolAt);
    });

    public Task DisposeAsync() => Task.CompletedTask;

    // From yesterday, so work done just after midnight is still in the period.
    private string Days => $"from={Day(app.Clock.Today.AddDays(-1))}&to={Day(app.Clock.Today)}";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(object? cell) => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "";

    private static decimal Number(object? cell) => Convert.ToDecimal(cell, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ExportPatrols_WhenTheVillageAdminExportsTheVillage_HoldsEachPatrolWithItsHoursAndReview()
    {
        var admin = await app.VillageAdminAsync(Village);

        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"/api/patrols/export?unitId={await app.UnitAsync(Village)}&{Days}"));

        var mine = book["巡防记录"].Where(r => Text(r["参与会员"]) == MemberName).ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, row =>
        {
            Assert.Equal("已确认", row["状态"]);
            Assert.Equal(2.08m, Number(row["时长（小时）"]));
            Assert.Equal(_work.MemberNumber, row["发起会员编号"]);
            Assert.Equal(1m, Number(row["参与人数"]));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", Text(row["开始时间"]));
        });
        var firstStart = DateTime.ParseExact(Text(mine[0]["开始时间"]), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Equal(_work.FirstPatrolAt.ToOffset(ChinaTime.Offset).DateTime, firstStart, TimeSpan.FromSeconds(1));
        ProblemAssertions.AssertNoEnglishIn(mine.Select(r => (IDictionary<string, object>)r.ToDictionary(c => c.Key, c => c.Value ?? "")));
    }

    [Fact]
    public async Task ExportPatrols_WhenTheUnitIsAnotherVillage_AnswersAsMissingAndAuditsNothing()
    {
        var otherVillage = await app.VillageAdminAsync("TX-DTP-XL");
        var resident = await app.ResidentAsync();
        var unitId = await app.UnitAsync(Village);

        foreach (var caller in new[] { otherVillage, resident })
        {
            var problem = await (await caller.Client.GetAsync($"/api/patrols/export?unitId={unitId}&{Days}")).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("org.unit.notFound", problem.Code());
            var statement = await (await caller.Client.GetAsync($"/api/points/members/{_work.MemberId}/export")).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("membership.member.notFound", statement.Code());
        }
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_exports WHERE by_user_id IN @ids",
            new { ids = new[] { otherVillage.UserId, resident.UserId } }));
    }

    [Theory]
    [InlineData(0, -1, "exports.period.reversed")]
    [InlineData(-366, 0, "exports.period.tooLong")]
    public async Task ExportPatrols_WhenThePeriodIsWrong_NamesTheEndDay(int fromDays, int toDays, string code)
    {
        var admin = await app.VillageAdminAsync(Village);

        var response = await admin.Client.GetAsync(
            $"/api/patrols/export?unitId={await app.UnitAsync(Village)}&from={Day(app.Clock.Today.AddDays(fromDays))}&to={Day(app.Clock.Today.AddDays(toDays))}");

        (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("to", code);
    }

    [Fact]
    public async Task ExportPatrols_WhenADayIsNotADate_NamesIt()
    {
        var admin = await app.VillageAdminAsync(Village);

        var response = await admin.Client.GetAsync($"/api/patrols/export?unitId={await app.UnitAsync(Village)}&from=2026-13-45");

        (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("from", "http.parameter.invalid");
    }

    [Fact]
    public async Task ExportMemberStatement_ForTheMemberAndTheirLeader_ListsTheEntriesAndThePeriodTotal()
    {
        var leader = await app.GridLeaderAsync(Grid);
        var statement = (await leader.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{_work.MemberId}?pageSize=100"))!;

        var book = await Workbook.ReadAsync(await leader.Client.GetAsync($"/api/points/members/{_work.MemberId}/export?{Days}"));
        var own = await Workbook.ReadAsync(await _work.Member.Client.GetAsync($"/api/points/members/{_work.MemberId}/export?{Days}"));

        var entries = book["积分明细"];
        Assert.Equal(statement.Entries.Count, entries.Count);
        Assert.Equal(2, entries.Count(e => Text(e["工作类型"]) == EnumLabels.Chinese(WorkKind.PatrolCompleted)));
        var summary = Assert.Single(book["汇总"]);
        Assert.Equal(_work.MemberNumber, summary["会员编号"]);
        Assert.Equal(MemberName, summary["姓名"]);
        Assert.Equal(entries.Sum(e => Number(e["积分"])), Number(summary["期间所得积分"]));
        Assert.True(Number(summary["期间所得积分"]) >= _work.PointsAwarded);
        Assert.Equal(statement.Totals.Balance, Number(summary["当前余额"]));
        Assert.Equal(entries.Count, own["积分明细"].Count);
    }

    [Fact]
    public async Task ExportUnitPoints_ForTheGrid_HoldsTheMembersEntriesWithTheirNames()
    {
        var admin = await app.VillageAdminAsync(Village);

        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"/api/points/units/{await app.UnitAsync(Grid)}/export?{Days}"));

        var mine = book["积分记录"].Where(r => Text(r["会员编号"]) == _work.MemberNumber).ToList();
        Assert.True(mine.Count >= 2);
        Assert.All(mine, r => Assert.Equal(MemberName, r["姓名"]));
        Assert.Equal(_work.PointsAwarded, mine.Where(r => Text(r["工作类型"]) == EnumLabels.Chinese(WorkKind.PatrolCompleted)).Sum(r => Number(r["积分"])));
    }

    [Fact]
    public async Task ExportReports_ForTheVillage_HoldsTheReportItsLevelsAndEveryStep()
    {
        var admin = await app.VillageAdminAsync(Village);

        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"/api/grid-reports/export?unitId={await app.UnitAsync(Village)}&{Days}"));

        var report = Assert.Single(book["网格事件"], r => Number(r["事件编号"]) == _work.ReportId);
        Assert.Equal(EnumLabels.Chinese(ReportKind.Dispute), report["类型"]);
        Assert.Equal("已办结", report["状态"]);
        Assert.Equal("村（社区）", report["当前层级"]);
        Assert.Equal("村（社区）", report["办结层级"]);
        Assert.Equal(_work.MemberNumber, report["上报人"]);
        Assert.Equal("否", report["是否超期"]);
        var steps = book["处理经过"].Where(s => Number(s["事件编号"]) == _work.ReportId).Select(s => Text(s["环节"])).ToList();
        Assert.Equal(["已提交", "已提交 → 已受理", "上报：网格 → 村（社区）", "已受理 → 已办结"], steps);
        Assert.Contains(book["处理经过"], s => Text(s["说明"]) == "双方不接受网格调解");
    }

    [Fact]
    public async Task ExportRanking_ForTheGrid_ListsTheMemberWithFullNameForStaffOnly()
    {
        var leader = await app.GridLeaderAsync(Grid);
        // The quarter the patrols' points count in: on the 1st of a quarter, the one before.
        var quarter = Quarter.Of(_work.FirstPatrolAt.ChinaDay()).ToString();
        var gridId = await app.UnitAsync(Grid);

        var book = await Workbook.ReadAsync(await leader.Client.GetAsync($"/api/rankings/{quarter}/Grid/{gridId}/export"));
        var byOtherGrid = await (await app.GridLeaderAsync("TX-DTP-XF-02")).Client.GetAsync($"/api/rankings/{quarter}/Grid/{gridId}/export");
        var wrongKind = await leader.Client.GetAsync($"/api/rankings/{quarter}/Village/{gridId}/export");

        var row = Assert.Single(book["会员排名"], r => Text(r["会员编号"]) == _work.MemberNumber);
        Assert.Equal(MemberName, row["姓名"]);
        Assert.True(Number(row["季度积分"]) >= _work.PointsAwarded);
        Assert.Equal(book["会员排名"].Select(r => Number(r["位次"])), Enumerable.Range(1, book["会员排名"].Count).Select(i => (decimal)i));
        Assert.Equal(quarter, Assert.Single(book["说明"])["季度"]);
        Assert.Equal("org.unit.notFound", (await byOtherGrid.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("org.unit.notFound", (await wrongKind.AssertProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task ExportUnitRanking_ForTheVillage_HoldsEachGridWithEveryMeasureAndTheWeights()
    {
        var admin = await app.VillageAdminAsync(Village);
        var quarter = Quarter.Of(app.Clock.Today).ToString();
        var villageId = await app.UnitAsync(Village);
        var view = (await admin.Client.GetFromJsonAsync<UnitRankingView>($"/api/unit-rankings/{quarter}/Village/{villageId}"))!;

        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"/api/unit-rankings/{quarter}/Village/{villageId}/export"));
        var gridScope = await admin.Client.GetAsync($"/api/unit-rankings/{quarter}/Grid/{villageId}/export");

        var rows = book["网格排名"];
        Assert.Equal(view.Entries.Select(e => e.Name), rows.Select(r => Text(r["单位"])));
        foreach (var (entry, row) in view.Entries.Zip(rows))
        {
            Assert.Equal(entry.Rank, Number(row["名次"]));
            Assert.Equal(entry.Composite, Number(row["综合得分"]));
            foreach (var part in entry.Parts)
            {
                Assert.Equal(part.Value, Number(row[EnumLabels.Chinese(part.Measure)]));
                Assert.Equal(part.Rank, Number(row[EnumLabels.Chinese(part.Measure) + "名次"]));
            }
        }
        Assert.Equal(100m, book["权重与说明"].Where(r => r["权重"] is not null).Sum(r => Number(r["权重"])));
        (await gridScope.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("scope", "unitRankings.scope.grid");
    }

    [Fact]
    public async Task ExportCoverage_ForGuijing_HoldsItsThreeGridsHandCountedHouseholds()
    {
        var admin = await app.VillageAdminAsync("TX-DTP-GJ");
        var api = (await admin.Client.GetFromJsonAsync<JsonElement>($"/api/membership/coverage?unitId={await app.UnitAsync("TX-DTP-GJ")}"));

        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"/api/membership/coverage/export?unitId={await app.UnitAsync("TX-DTP-GJ")}"));

        var rows = book["覆盖率"];
        Assert.Equal("村（社区）", rows[0]["层级"]);
        Assert.Equal(757m, Number(rows[0]["户数"]));
        Assert.Equal([233m, 305m, 219m], rows.Skip(1).Select(r => Number(r["户数"])));
        Assert.All(rows, r => Assert.Equal(20m, Number(r["目标（%）"])));
        foreach (var grid in api.GetProperty("grids").EnumerateArray())
        {
            var row = Assert.Single(rows, r => Text(r["单位编码"]) == grid.GetProperty("code").GetString());
            Assert.Equal(grid.GetProperty("activeMembers").GetInt64(), Number(row["在册会员"]));
            var households = grid.GetProperty("households").GetInt64();
            var active = grid.GetProperty("activeMembers").GetInt64();
            var needed = (long)Math.Ceiling(households * 0.2m) - active;
            Assert.Equal(needed > 0 ? "否" : "是", row["是否达标"]);
            Assert.Equal(needed > 0 ? needed.ToString(CultureInfo.InvariantCulture) : "", Text(row["距目标还差（人）"]));
        }
        Assert.Equal(api.GetProperty("belowTarget").GetArrayLength(), book["未达标单位"].Count);
    }

    [Fact]
    public async Task ExportFigures_ForTheVillageByMonth_HoldsARowPerUnitAndMonthAsTheApiAnswers()
    {
        var admin = await app.VillageAdminAsync(Village);
        await app.Services.GetRequiredService<Association.Api.Figures.FiguresRollupJob>().RunAsync(default);
        // From the month of the patrols to this one: on the 1st, work of a few hours ago was last month's.
        var from = Months.Written(Association.Api.Figures.FigureRollup.MonthOf(_work.FirstPatrolAt.ChinaDay()));
        var month = Months.Written(Association.Api.Figures.FigureRollup.MonthOf(app.Clock.Today));
        var url = $"/api/figures/{await app.UnitAsync(Village)}";
        var view = (await admin.Client.GetFromJsonAsync<Association.Api.Figures.FiguresView>($"{url}?from={from}&to={month}"))!;

        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"{url}/export?from={from}&to={month}"));
        var reversed = await admin.Client.GetAsync($"{url}/export?from={month}&to=2001-01");

        var rows = book["指标"];
        var expected = view.Units.SelectMany(u => u.Periods.Select(p => (Unit: u, Figures: p))).ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var ((unit, figures), row) in expected.Zip(rows))
        {
            Assert.Equal(unit.Name, row["单位"]);
            Assert.Equal(figures.Period, row["期间"]);
            Assert.Equal(figures.Patrols, Number(row["巡防次数"]));
            Assert.Equal(figures.PointsEarned, Number(row["所得积分"]));
            Assert.Equal(figures.ResolvedAtVillage, Number(row["村（社区）办结"]));
            Assert.Equal(figures.CoveragePermille / 10m, Number(row["覆盖率（%）"]));
        }
        var village = rows.Where(r => Text(r["单位"]) == view.Units.Single(u => u.Self).Name).ToList();
        Assert.True(village.Sum(r => Number(r["巡防次数"])) >= 2);
        Assert.True(village.Sum(r => Number(r["村（社区）办结"])) >= 1);
        (await reversed.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("to", "figures.period.reversed");
    }

    [Fact]
    public async Task ListAudit_AfterExports_ShowsWhoExportedWhatOfWhichUnit()
    {
        var admin = await app.VillageAdminAsync(Village);
        var unitId = await app.UnitAsync(Village);
        var book = await Workbook.ReadAsync(await admin.Client.GetAsync($"/api/grid-reports/export?unitId={unitId}&{Days}"));

        var audit = await (await app.SubDistrictAdminAsync()).Client.GetFromJsonAsync<List<AuditEntry>>("/api/audit?kind=Export&pageSize=100");
        var byVillageAdmin = await admin.Client.GetAsync("/api/audit?kind=Export");

        var entry = Assert.Single(audit!.Where(e => e.ByUserId == admin.UserId && e.Export == ExportKind.GridReports && e.UnitId == unitId
            && e.Rows == book["网格事件"].Count).Take(1));
        Assert.Equal(AuditKind.Export, entry.Kind);
        Assert.Equal($"{Day(app.Clock.Today.AddDays(-1))}至{Day(app.Clock.Today)}", entry.Parameters);
        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
