using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Platform.Database;
using Association.Api.Rankings;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Association.Tests.Rankings;

public sealed class RankingsApiTests(DemoApp app) : IClassFixture<DemoApp>, IAsyncLifetime
{
    // Points 30, 20, 20, 10 in one grid: ranks 1, 2, 2, 4.
    private static readonly int[] Points = [30, 20, 20, 10];

    private SignedIn SubDistrictAdmin { get; set; } = null!;
    private long Grid { get; set; }
    private IReadOnlyList<(SignedIn Person, MemberView Member)> Members { get; set; } = [];

    public async Task InitializeAsync()
    {
        SubDistrictAdmin = await app.SubDistrictAdminAsync();
        (Grid, Members) = await GridWithPoints.ArrangeOnceAsync(app, "TX-DTP-DT-04", Points);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string CurrentQuarter => app.Clock.CurrentQuarter.ToString();

    private RankingsJob Job => app.Services.GetRequiredService<RankingsJob>();

    [Fact]
    public async Task GetRanking_WhenPointsTie_SharesTheRankAndOrdersTheTieByMemberId()
    {
        await Job.ComputeAsync(CurrentQuarter, finalise: false, default);

        var ranking = (await SubDistrictAdmin.Client.GetFromJsonAsync<RankingView>($"/api/rankings/{CurrentQuarter}/Grid/{Grid}"))!;

        Assert.Equal("Provisional", ranking.Status);
        Assert.Equal([1, 2, 2, 4], ranking.Entries.Select(e => e.Rank));
        Assert.Equal([30, 20, 20, 10], ranking.Entries.Select(e => e.Points));
        var tied = ranking.Entries.Where(e => e.Rank == 2).Select(e => e.MemberId).ToList();
        Assert.Equal(tied.Order(), tied);
        Assert.All(ranking.Entries, e => Assert.EndsWith("*", e.DisplayName));
    }

    [Fact]
    public async Task GetMyRanking_WhenRanked_ShowsEachScopeWithNeighbours()
    {
        await Job.ComputeAsync(CurrentQuarter, finalise: false, default);
        var (person, member) = Members[1];

        var mine = (await person.Client.GetFromJsonAsync<MyRanking>("/api/rankings/me"))!;

        Assert.Equal([RankingScope.Grid, RankingScope.Village, RankingScope.SubDistrict], mine.Standings.Select(s => s.Scope));
        var grid = mine.Standings[0];
        Assert.Equal((2, 20, 4L), (grid.Rank, grid.Points, grid.Ranked));
        Assert.Contains(grid.Around, e => e.MemberId == member.Id);
        Assert.Contains(grid.Around, e => e.Points == 30);
        var history = (await person.Client.GetFromJsonAsync<List<RankHistoryEntry>>("/api/rankings/me/history"))!;
        Assert.Contains(history, h => h.Quarter == CurrentQuarter && h.Scope == RankingScope.Grid && h.Rank == 2);
    }

    [Fact]
    public async Task ComputeAsync_WhenRunConcurrently_PublishesOneCompleteRankingAndDropsOldRuns()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Job.ComputeAsync(CurrentQuarter, finalise: false, default)));

        var ranking = (await SubDistrictAdmin.Client.GetFromJsonAsync<RankingView>($"/api/rankings/{CurrentQuarter}/Grid/{Grid}"))!;
        Assert.Equal(4, ranking.Entries.Count);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(DISTINCT r.run_id) FROM member_ranks r JOIN ranking_runs rr ON rr.id = r.run_id WHERE rr.quarter = @quarter
            """, new { quarter = CurrentQuarter }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM information_schema.partitions p JOIN ranking_runs rr ON p.partition_name = CONCAT('r', rr.id)
             WHERE p.table_schema = DATABASE() AND p.table_name = 'member_ranks' AND rr.quarter = @quarter
            """, new { quarter = CurrentQuarter }));
    }

    [Fact]
    public async Task ComputeAsync_WhenEarlierRunsDiedHalfway_DropsWhatTheyLeft()
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        // A run killed after writing some rows, and a partition whose run row is gone.
        var dead = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO ranking_runs (quarter, started_at) VALUES (@quarter, @now); SELECT LAST_INSERT_ID();", new { quarter = CurrentQuarter, now = app.Clock.DbUtcNow() });
        await connection.ExecuteAsync(RunPartitions.Add(dead));
        await connection.ExecuteAsync("""
            INSERT INTO member_ranks VALUES (@dead, @member, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
            """, new { dead, member = Members[0].Member.Id });
        var orphan = dead + 1000;
        await connection.ExecuteAsync(RunPartitions.Add(orphan));

        await Job.ComputeAsync(CurrentQuarter, finalise: false, default);

        var partitions = (await connection.QueryAsync<string>("""
            SELECT partition_name FROM information_schema.partitions WHERE table_schema = DATABASE() AND table_name = 'member_ranks'
            """)).ToList();
        Assert.DoesNotContain($"r{dead}", partitions);
        Assert.DoesNotContain($"r{orphan}", partitions);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ranking_runs WHERE id = @dead", new { dead }));
        var ranking = (await SubDistrictAdmin.Client.GetFromJsonAsync<RankingView>($"/api/rankings/{CurrentQuarter}/Grid/{Grid}"))!;
        Assert.Equal(4, ranking.Entries.Count);
    }

    [Fact]
    public async Task WriteAsync_WhenTheRunsPartitionWasDropped_FailsAsTheJobExpectsOfASupersededRun()
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var superseded = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO ranking_runs (quarter, started_at) VALUES (@quarter, @now); SELECT LAST_INSERT_ID();", new { quarter = CurrentQuarter, now = app.Clock.DbUtcNow() });

        var failure = await Assert.ThrowsAsync<MySqlConnector.MySqlException>(() =>
            app.Services.GetRequiredService<RankRunWriter>().WriteAsync(superseded, CurrentQuarter, default));

        Assert.Equal(MySqlConnector.MySqlErrorCode.NoPartitionForGivenValue, failure.ErrorCode);
    }

    [Fact]
    public async Task ComputeAsync_WhenQuarterIsFinal_NeverChangesItAgain()
    {
        var quarter = app.Clock.CurrentQuarter.Previous.Previous.ToString();
        Assert.True(await Job.ComputeAsync(quarter, finalise: true, default));
        var before = (await SubDistrictAdmin.Client.GetFromJsonAsync<RankingView>($"/api/rankings/{quarter}/SubDistrict/{await app.UnitIdAsync("TX-DTP")}"))!;

        var recomputed = await Job.ComputeAsync(quarter, finalise: false, default);

        Assert.False(recomputed);
        var after = (await SubDistrictAdmin.Client.GetFromJsonAsync<RankingView>($"/api/rankings/{quarter}/SubDistrict/{await app.UnitIdAsync("TX-DTP")}"))!;
        Assert.Equal(("Final", before.ComputedAt), (after.Status, after.ComputedAt));
    }

    [Fact]
    public async Task RecomputeRankings_WhenAskedByAdminOrNot_RunsOrRefuses()
    {
        var leader = await app.SignInWithRoleAsync("gl-dt04", Role.GridLeader, "TX-DTP-DT-04");

        var byAdmin = await SubDistrictAdmin.Client.PostAsync("/api/rankings/recompute", null);
        var byLeader = await leader.Client.PostAsync("/api/rankings/recompute", null);

        Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
        await byLeader.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("2026Q5", HttpStatusCode.BadRequest)]
    [InlineData("26Q1", HttpStatusCode.BadRequest)]
    [InlineData("2000Q1", HttpStatusCode.NotFound)]
    public async Task GetRanking_WhenQuarterIsWrongOrUnranked_Returns4xx(string quarter, HttpStatusCode expected)
    {
        var response = await SubDistrictAdmin.Client.GetAsync($"/api/rankings/{quarter}/Grid/{Grid}");

        await response.AssertProblemAsync(expected);
    }
}
