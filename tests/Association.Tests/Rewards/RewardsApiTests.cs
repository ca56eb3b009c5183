using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Points;
using Association.Api.Rewards;
using Association.Tests.Infrastructure;

namespace Association.Tests.Rewards;

public sealed class RewardsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private const string Grid = "TX-DTP-HH-02";
    private SignedIn Admin { get; set; } = null!;
    private SignedIn VillageAdmin { get; set; } = null!;
    private long SubDistrictId { get; set; }

    public async Task InitializeAsync()
    {
        Admin = await app.SubDistrictAdminAsync();
        VillageAdmin = await app.VillageAdminAsync("TX-DTP-HH");
        SubDistrictId = await app.UnitAsync("TX-DTP");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<RewardItem> ItemAsync(int stock, int points = 10, int? limit = null)
    {
        var response = await Admin.Client.PostAsJsonAsync("/api/rewards", new NewRewardRequest(SubDistrictId, "平安红袖章定制水杯", "会员专属",
            "https://example.org/cup.png", points, stock, limit, LimitPeriod.Quarter, app.Clock.Today.AddDays(-1), app.Clock.Today.AddDays(30)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RewardItem>())!;
    }

    private async Task<(SignedIn Person, MemberView Member)> MemberWithPointsAsync(int points)
    {
        var (person, member) = await app.NewMemberAsync(Grid);
        (await Admin.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, points, "线下活动补录积分"))).EnsureSuccessStatusCode();
        return (person, member);
    }

    private static Task<HttpResponseMessage> RedeemAsync(SignedIn person, long itemId) => person.Client.PostAsync($"/api/rewards/{itemId}/redeem", null);

    [Fact]
    public async Task RedeemReward_When50RaceForTheLast3Items_Exactly3AreTakenAndEveryBalanceMatchesTheLedger()
    {
        var item = await ItemAsync(stock: 3);
        var members = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => MemberWithPointsAsync(100)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => RedeemAsync(members[i % 10].Person, item.Id)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal("rewards.item.outOfStock", (await refused.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        }
        var catalogue = (await Admin.Client.GetFromJsonAsync<List<RewardItem>>("/api/rewards?pageSize=100"))!;
        Assert.Equal(0, catalogue.Single(i => i.Id == item.Id).Stock);
        var statements = await Task.WhenAll(members.Select(m => m.Person.Client.GetFromJsonAsync<PointStatement>("/api/points/me")));
        Assert.Equal(1000 - 30, statements.Sum(s => s!.Totals.Balance));
        Assert.All(statements, s => Assert.Equal(100, s!.Totals.Periods.Where(p => p.Period.Contains('Q')).Sum(p => p.Points)));
        var ids = members.Select(m => m.Member.Id).ToHashSet();
        Assert.DoesNotContain(await PointsInvariant.CheckAsync(app.Db), d => ids.Contains(d.MemberId));
    }

    [Fact]
    public async Task CancelRedemption_BeforeHandOver_RefundsAndRestocksWhileAHandedOverOneStays()
    {
        var item = await ItemAsync(stock: 5, points: 30, limit: 2);
        var (person, member) = await MemberWithPointsAsync(70);

        var first = (await (await RedeemAsync(person, item.Id)).Content.ReadFromJsonAsync<RedemptionView>())!;
        var second = (await (await RedeemAsync(person, item.Id)).Content.ReadFromJsonAsync<RedemptionView>())!;
        var overLimit = await RedeemAsync(person, item.Id);
        var handedOver = await VillageAdmin.Client.PostAsync($"/api/redemptions/{first.Id}/fulfil", null);
        var ownFulfil = await person.Client.PostAsync($"/api/redemptions/{second.Id}/fulfil", null);
        var cancelled = (await (await person.Client.PostAsync($"/api/redemptions/{second.Id}/cancel", null)).Content.ReadFromJsonAsync<RedemptionView>())!;
        var cancelHandedOver = await person.Client.PostAsync($"/api/redemptions/{first.Id}/cancel", null);
        var poor = await RedeemAsync((await MemberWithPointsAsync(5)).Person, item.Id);
        var statement = (await person.Client.GetFromJsonAsync<PointStatement>("/api/points/me"))!;
        var reverseSpending = await Admin.Client.PostAsJsonAsync($"/api/points/entries/{statement.Entries.First(e => e.Kind == EntryKind.Redemption).Id}/reverse",
            new ReversalRequest("误操作撤销"));

        Assert.Equal((10, RedemptionStatus.Pending), (second.Balance, second.Status));
        Assert.Equal("rewards.redeem.limit", (await overLimit.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal(RedemptionStatus.Fulfilled, (await handedOver.Content.ReadFromJsonAsync<RedemptionView>())!.Status);
        await ownFulfil.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((RedemptionStatus.Cancelled, 40), (cancelled.Status, cancelled.Balance));
        Assert.Equal("rewards.redemption.decided", (await cancelHandedOver.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("rewards.redeem.balance", (await poor.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal("points.entry.spending", (await reverseSpending.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Equal([EntryKind.Adjustment, EntryKind.Redemption, EntryKind.Redemption, EntryKind.Refund],
            statement.Entries.OrderBy(e => e.Id).Select(e => e.Kind));
        Assert.Equal(4, (await Admin.Client.GetFromJsonAsync<List<RewardItem>>("/api/rewards?pageSize=100"))!.Single(i => i.Id == item.Id).Stock);
        Assert.DoesNotContain(await PointsInvariant.CheckAsync(app.Db), d => d.MemberId == member.Id);
    }

    [Fact]
    public async Task Rewards_WhenCallerIsNotTheSubDistrictAdmin_CatalogueIsReadOnlyAndOthersRedemptionsUnseen()
    {
        var item = await ItemAsync(stock: 2);
        var (person, _) = await MemberWithPointsAsync(20);
        var (other, _) = await MemberWithPointsAsync(20);
        var redemption = (await (await RedeemAsync(person, item.Id)).Content.ReadFromJsonAsync<RedemptionView>())!;

        var byVillage = await VillageAdmin.Client.PostAsJsonAsync("/api/rewards", new NewRewardRequest(SubDistrictId, "雨伞", null, null, 5, 1, null,
            LimitPeriod.Year, null, null));
        var othersCancel = await other.Client.PostAsync($"/api/redemptions/{redemption.Id}/cancel", null);
        var othersList = (await other.Client.GetFromJsonAsync<List<RedemptionView>>("/api/redemptions"))!;
        var seen = (await person.Client.GetFromJsonAsync<List<RewardItem>>("/api/rewards?pageSize=100"))!;

        await byVillage.AssertProblemAsync(HttpStatusCode.NotFound);
        await othersCancel.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(othersList, r => r.Id == redemption.Id);
        Assert.Contains(seen, i => i.Id == item.Id);
    }

    [Fact]
    public async Task ChangeRewardStock_WhenRestockedAndCorrected_TheStockMovesAndNeverBelowZeroOnlyForTheSubDistrictAdmin()
    {
        var item = await ItemAsync(stock: 2);
        var (member, _) = await MemberWithPointsAsync(100);
        (await RedeemAsync(member, item.Id)).EnsureSuccessStatusCode();

        var delivered = await Admin.Client.PostAsJsonAsync($"/api/rewards/{item.Id}/stock", new StockChangeRequest(5, "第二批到货"));
        var tooMany = await Admin.Client.PostAsJsonAsync($"/api/rewards/{item.Id}/stock", new StockChangeRequest(-7, "盘点损耗"));
        var zero = await Admin.Client.PostAsJsonAsync($"/api/rewards/{item.Id}/stock", new StockChangeRequest(0, "无变化"));
        var byVillage = await VillageAdmin.Client.PostAsJsonAsync($"/api/rewards/{item.Id}/stock", new StockChangeRequest(100, "村里加的"));
        var edited = await Admin.Client.PutAsJsonAsync($"/api/rewards/{item.Id}", new EditRewardRequest("平安水杯（升级款）", null,
            "https://example.org/cup2.png", 15, 1, LimitPeriod.Year, null, app.Clock.Today.AddDays(60)));
        var editedByVillage = await VillageAdmin.Client.PutAsJsonAsync($"/api/rewards/{item.Id}", new EditRewardRequest("改名", null, null, 1, null,
            LimitPeriod.Month, null, null));

        Assert.Equal(6, (await delivered.Content.ReadFromJsonAsync<RewardItem>())!.Stock);
        Assert.Equal("rewards.stock.belowZero", (await tooMany.AssertProblemAsync(HttpStatusCode.Conflict)).Code());
        (await zero.AssertProblemAsync(HttpStatusCode.BadRequest)).AssertFieldCode("change", "rewards.stock.change");
        await byVillage.AssertProblemAsync(HttpStatusCode.NotFound);
        await editedByVillage.AssertProblemAsync(HttpStatusCode.NotFound);
        var after = (await edited.Content.ReadFromJsonAsync<RewardItem>())!;
        Assert.Equal(("平安水杯（升级款）", 15, 6, 1, LimitPeriod.Year), (after.Name, after.Points, after.Stock, after.PerMemberLimit!.Value, after.LimitPeriod));
    }
}
