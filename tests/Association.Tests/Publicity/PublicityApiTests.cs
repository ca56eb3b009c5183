using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Points;
using Association.Api.Publicity;
using Association.Tests.Infrastructure;
using Association.Tests.Members;

namespace Association.Tests.Publicity;

public sealed class PublicityApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    private SignedIn LeaderGj03 { get; set; } = null!;
    private SignedIn VillageAdminGj { get; set; } = null!;
    private long GridGj03 { get; set; }

    public async Task InitializeAsync()
    {
        LeaderGj03 = await app.GridLeaderAsync("TX-DTP-GJ-03");
        VillageAdminGj = await app.VillageAdminAsync("TX-DTP-GJ");
        GridGj03 = await app.UnitAsync("TX-DTP-GJ-03");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private NewPublicityRequest Article(DateOnly? on = null) => new(PublicityKind.Article, "平安创建进社区", "平安天心V",
        "https://mp.weixin.qq.com/s/example", on ?? app.Clock.Today.AddDays(-2), "红袖章会员宣讲防诈骗知识");

    [Fact]
    public async Task PublishPublicity_WhenLeaderPublishes_TheMemberEarnsOnceAndRejectedEarnsNothing()
    {
        var (person, member) = await app.NewMemberAsync(VillageAdminGj, GridGj03);
        var work = (await (await person.Client.PostAsJsonAsync("/api/publicity", Article())).Content.ReadFromJsonAsync<PublicityView>())!;
        var other = (await (await person.Client.PostAsJsonAsync("/api/publicity", Article() with { Title = "另一篇" })).Content.ReadFromJsonAsync<PublicityView>())!;

        var published = await LeaderGj03.Client.PostAsync($"/api/publicity/{work.Id}/publish", null);
        var again = await VillageAdminGj.Client.PostAsync($"/api/publicity/{work.Id}/publish", null);
        var rejected = await LeaderGj03.Client.PostAsJsonAsync($"/api/publicity/{other.Id}/reject", new ReasonRequest("与上篇重复"));
        var own = await person.Client.PostAsync($"/api/publicity/{other.Id}/publish", null);

        Assert.Equal(PublicityStatus.Published, (await published.Content.ReadFromJsonAsync<PublicityView>())!.Status);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        await own.AssertProblemAsync(HttpStatusCode.NotFound);
        var statement = (await person.Client.GetFromJsonAsync<PointStatement>("/api/points/me"))!;
        var entry = Assert.Single(statement.Entries);
        Assert.Equal((WorkKind.PublicityPublished, 10, member.Id), (entry.WorkKind!.Value, entry.Points, entry.MemberId));
    }

    [Fact]
    public async Task PublicityFeed_WhenWorkIsPublished_EveryoneSignedInReadsItWithTheAuthorMasked()
    {
        var (person, _) = await app.NewMemberAsync(VillageAdminGj, GridGj03, "欧阳明");
        var resident = await app.SignInAsync("feed-resident-" + Guid.NewGuid().ToString("N")[..6]);
        var title = "防诈骗宣传进小区 " + Guid.NewGuid().ToString("N")[..4];
        var work = (await (await person.Client.PostAsJsonAsync("/api/publicity", Article() with { Title = title })).Content.ReadFromJsonAsync<PublicityView>())!;
        var pending = (await (await person.Client.PostAsJsonAsync("/api/publicity", Article() with { Title = title + " 待发布" })).Content.ReadFromJsonAsync<PublicityView>())!;
        var beforePublishing = (await resident.Client.GetFromJsonAsync<List<PublishedPublicity>>("/api/publicity/feed?pageSize=100"))!;
        (await LeaderGj03.Client.PostAsync($"/api/publicity/{work.Id}/publish", null)).EnsureSuccessStatusCode();

        var feed = (await resident.Client.GetFromJsonAsync<List<PublishedPublicity>>("/api/publicity/feed?pageSize=100"))!;
        var anonymous = await app.CreateClient().GetAsync("/api/publicity/feed");

        Assert.DoesNotContain(beforePublishing, p => p.Id == work.Id);
        var shown = Assert.Single(feed, p => p.Id == work.Id);
        Assert.Equal((title, "欧*"), (shown.Title, shown.Author));
        Assert.DoesNotContain(feed, p => p.Id == pending.Id);
        Assert.DoesNotContain("欧阳明", await (await resident.Client.GetAsync("/api/publicity/feed?pageSize=100")).Content.ReadAsStringAsync());
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("outlet")]
    [InlineData("link")]
    [InlineData("happenedOn")]
    [InlineData("title")]
    public async Task RecordPublicity_WhenInputIsWrong_Returns400NamingTheField(string field)
    {
        var (person, _) = await app.NewMemberAsync(VillageAdminGj, GridGj03);
        var bad = field switch
        {
            "outlet" => Article() with { Outlet = null },
            "link" => Article() with { Link = "javascript:alert(1)" },
            "happenedOn" => Article(app.Clock.Today.AddDays(5)),
            _ => Article() with { Title = "" },
        };

        var response = await person.Client.PostAsJsonAsync("/api/publicity", bad);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task RecordPublicity_WhenRiskyOrNotAMember_IsRefused()
    {
        var (person, _) = await app.NewMemberAsync(VillageAdminGj, GridGj03);
        var resident = await app.SignInAsync("resident-" + Guid.NewGuid().ToString("N")[..6]);

        var risky = await person.Client.PostAsJsonAsync("/api/publicity", Article() with { Title = "违禁品广告" });
        var notMember = await resident.Client.PostAsJsonAsync("/api/publicity", Article());

        await risky.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await notMember.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
