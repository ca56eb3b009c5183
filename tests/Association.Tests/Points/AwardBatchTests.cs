using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Association.Api.Platform.Redis;
using Association.Api.Points;
using Association.Api.Rankings;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using IConnectionMultiplexer = StackExchange.Redis.IConnectionMultiplexer;

namespace Association.Tests.Points;

/// <summary>API awards are written in batches (<see cref="AwardBatch"/>); the decisions must be those of one award at a time.</summary>
public sealed class AwardBatchTests(DemoApp app) : LedgerTests(app)
{
    // Ids no record has, for awards refused before their source is looked at.
    private static long _missing = Random.Shared.Next(2_000_000_000, int.MaxValue);

    private static long NoRecord() => Interlocked.Increment(ref _missing);

    private DateTimeOffset Today => App.Clock.Now.AddMinutes(-5);

    /// <summary>Work from before the demo rules took effect, which no rule covers.</summary>
    private DateTimeOffset BeforeTheRules => TestClock.ChinaTimeOn(App.PointRulesFrom.AddDays(-1));

    private AwardCommand Patrol(long memberId, long source, DateTimeOffset? at = null, long? caller = null) =>
        new(caller ?? LeaderHh01.UserId, memberId, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, source, 1, at ?? Today);

    /// <summary>A patrol of the member's confirmed by the village admin; its participation is the source of an award.</summary>
    private Task<long> PatrolOfAsync(long memberId, DateTimeOffset? at = null, int hours = 1) =>
        App.ConfirmedPatrolAsync(memberId, VillageAdminHh.UserId, at ?? Today, hours);

    private async Task<AwardRequest> PatrolRequestAsync(long memberId, DateTimeOffset? at = null) =>
        new(memberId, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, await PatrolOfAsync(memberId, at), 1, at ?? Today);

    private async Task<PointStatement> StatementAsync(long memberId) =>
        (await SubDistrictAdmin.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{memberId}?pageSize=100"))!;

    [Fact]
    public async Task RunAsync_WhenOneBatchHoldsRepeatsCapsAndRefusals_DecidesAsAwardsOneAtATime()
    {
        var (_, a) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        var (_, b) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        var (_, suspended) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        (await VillageAdminHh.Client.PostAsJsonAsync($"/api/members/{suspended.Id}/suspend", new ReasonRequest("批次测试"))).EnsureSuccessStatusCode();
        var user = "gl-batch-" + Guid.NewGuid().ToString("N")[..6];
        var (_, leaderAsMember) = await App.NewMemberAsync(VillageAdminHh, GridHh01, user: user);
        var selfLeader = await App.SignInWithRoleAsync(user, Role.GridLeader, "TX-DTP-HH-01");
        var otherLeader = await App.SignInWithRoleAsync("gl-hh02-batch", Role.GridLeader, "TX-DTP-HH-02");
        var earlier = await PatrolOfAsync(b.Id);
        var before = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
            new AwardRequest(b.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, earlier, 1, Today));
        var earlierEntry = (await before.Content.ReadFromJsonAsync<PointEntry>())!;
        var (s1, s2, s3) = (await PatrolOfAsync(a.Id), await PatrolOfAsync(a.Id), await PatrolOfAsync(a.Id));
        var cover = await App.InsuranceCoverageAsync(b.Id, VillageAdminHh.UserId);
        var beforeTheRules = await PatrolOfAsync(a.Id, BeforeTheRules);

        AwardCommand[] batch =
        [
            Patrol(a.Id, s1),
            Patrol(a.Id, s2),
            Patrol(a.Id, s3),
            Patrol(a.Id, s1),
            new(LeaderHh01.UserId, b.Id, WorkKind.InsuranceEnrolled, AwardSourceKind.InsuranceCoverage, cover, 1, App.Clock.Now),
            Patrol(987654321, NoRecord()),
            Patrol(a.Id, beforeTheRules, at: BeforeTheRules),
            Patrol(b.Id, earlier),
            Patrol(leaderAsMember.Id, NoRecord(), caller: selfLeader.UserId),
            Patrol(suspended.Id, NoRecord()),
            Patrol(a.Id, NoRecord(), caller: otherLeader.UserId),
            // b's patrol, awarded to a: not a's work, so neither an award nor b's entry.
            Patrol(a.Id, earlier),
            Patrol(a.Id, NoRecord()),
        ];
        AwardResult[] results;
        await using (var connection = await App.Db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation))
        {
            results = AwardBatch.Run(connection, transaction, batch, App.Clock.DbUtcNow());
            await transaction.CommitAsync();
        }

        Assert.Equal(
            [AwardDecision.Awarded, AwardDecision.Awarded, AwardDecision.Awarded, AwardDecision.AlreadyAwarded, AwardDecision.Awarded,
             AwardDecision.MemberNotFound, AwardDecision.UnknownRule, AwardDecision.AlreadyAwarded, AwardDecision.OwnAccount,
             AwardDecision.MemberNotActive, AwardDecision.MemberNotFound, AwardDecision.SourceNotFound, AwardDecision.SourceNotFound],
            results.Select(r => r.Decision));
        Assert.Equal([10, 10, 0], results.Take(3).Select(r => r.Entry!.Points));
        Assert.Contains("每日上限", results[2].Entry!.Reason);
        Assert.Equal(results[0].Entry!.Id, results[3].Entry!.Id);
        Assert.Equal(5, results[4].Entry!.Points);
        Assert.Null(results[11].Entry);
        Assert.Equal(earlierEntry.Id, results[7].Entry!.Id);
        Assert.Equal("Suspended", results[9].MemberStatus);
        Assert.Equal(20, (await StatementAsync(a.Id)).Totals.Balance);
        Assert.Equal(3, (await StatementAsync(a.Id)).Entries.Count);
        Assert.Equal(15, (await StatementAsync(b.Id)).Totals.Balance);
        Assert.Empty(await PointsInvariant.CheckAsync(App.Db));
    }

    [Fact]
    public async Task AwardPoints_WhenManyForOneMemberArriveTogether_CapsThemAsOneAtATime()
    {
        var (_, member) = await App.NewMemberAsync(VillageAdminHh, GridHh01);

        var requests = new List<AwardRequest>();
        for (var i = 0; i < 24; i++)
        {
            requests.Add(await PatrolRequestAsync(member.Id));
        }

        var responses = await Task.WhenAll(requests.Select(r => LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", r)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var statement = await StatementAsync(member.Id);
        Assert.Equal(24, statement.Entries.Count);
        Assert.Equal(20, statement.Totals.Balance);
        Assert.Equal(2, statement.Entries.Count(e => e.Points == 10));
        Assert.Empty(await PointsInvariant.CheckAsync(App.Db));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AwardPoints_WhileAnotherTransactionAwardsTheMember_WaitsForItAndCountsItTowardsTheCap(bool memberHasPointsAlready)
    {
        var (_, member) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        var yesterday = Today.AddDays(-1);
        if (memberHasPointsAlready)
        {
            // Another day, so the daily cap of 20 is untouched, and the member has its totals row.
            Assert.Equal(HttpStatusCode.Created, (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
                await PatrolRequestAsync(member.Id, yesterday))).StatusCode);
        }
        var (theirHours, ourHours) = (await PatrolOfAsync(member.Id, hours: 2), await PatrolOfAsync(member.Id, hours: 4));
        await using var other = await App.Db.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync(PointsLedger.Isolation);
        await PointsLedger.AwardAsync(other, otherTransaction, member.Id, WorkKind.PatrolHour, AwardSourceKind.PatrolHour, theirHours, 2, Today,
            VillageAdminHh.UserId, App.Clock.DbUtcNow(), default);

        // 4 hours, 20 points, requested against a daily cap of 20, of which the other transaction's 10 are not committed yet.
        var ours = LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
            new AwardRequest(member.Id, WorkKind.PatrolHour, AwardSourceKind.PatrolHour, ourHours, 4, Today));
        await WaitForALockWaitAsync("member_point_totals");
        await otherTransaction.CommitAsync();
        var answer = await ours;

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(10, (await answer.Content.ReadFromJsonAsync<PointEntry>())!.Points);
        Assert.Equal(memberHasPointsAlready ? 30 : 20, (await StatementAsync(member.Id)).Totals.Balance);
        Assert.Empty(await PointsInvariant.CheckAsync(App.Db));
    }

    [Fact]
    public async Task AwardPoints_WhenAnotherTransactionAwardsTheSourceDuringTheBatch_AnswersWithTheirEntryAndMakesTheRest()
    {
        var (_, a) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        var contested = await PatrolOfAsync(a.Id);
        // Every path that awards locks the member first, so this stands for a writer that did not (or a bug): an entry of
        // the source, 0 points so that the totals stay true, inserted without the member's lock.
        await using var other = await App.Db.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync(PointsLedger.Isolation);
        var theirs = await other.ExecuteScalarAsync<long>("""
            INSERT INTO point_entries (member_id, entry_kind, points, requested_points, rule_id, work_kind, work_day, source_kind, source_id,
                                       quarter, year, caused_by, created_at)
            SELECT @memberId, 'Award', 0, 0, r.id, 'PatrolCompleted', @day, 'Patrol', @contested, @quarter, @year, @caller, @now
              FROM point_rules r WHERE r.work_kind = 'PatrolCompleted' ORDER BY r.version LIMIT 1;
            SELECT LAST_INSERT_ID();
            """, new
        {
            memberId = a.Id, day = Today.ChinaDay().ToDateTime(TimeOnly.MinValue), contested, quarter = Quarter.Of(Today).ToString(),
            year = Quarter.Of(Today).Year, caller = VillageAdminHh.UserId, now = App.Clock.DbUtcNow(),
        }, otherTransaction);

        // Not yet committed: the batch does not see it, inserts the same source and waits on its key.
        var ours = LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", new AwardRequest(a.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, contested, 1, Today));
        await WaitForALockWaitAsync();
        await otherTransaction.CommitAsync();
        var answer = await ours;
        var next = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolRequestAsync(a.Id));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(theirs, (await answer.Content.ReadFromJsonAsync<PointEntry>())!.Id);
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
        Assert.Equal(10, (await StatementAsync(a.Id)).Totals.Balance);
        Assert.Contains(App.Logs.Lines, l => l.Contains("was rolled back", StringComparison.Ordinal));
        Assert.Empty(await PointsInvariant.CheckAsync(App.Db));
    }

    [Fact]
    public async Task AwardPoints_WhileTheLeaderboardPublisherHoldsItsClaim_IsNotHeldUp()
    {
        var (_, member) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        // The claim below stands for the publisher's; the background publisher, kept out by its lock, leaves the row to it.
        var redis = App.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var keys = App.Services.GetRequiredService<RedisKeys>();
        await Leaderboard.LockAsync(redis, keys, "this-test", TimeSpan.FromSeconds(30), default);
        Task<HttpResponseMessage> award;
        Task finished;
        try
        {
            (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolRequestAsync(member.Id)))
                .EnsureSuccessStatusCode();
            await using var publisher = await App.Db.OpenConnectionAsync();
            await using var claim = await publisher.BeginTransactionAsync(LeaderboardPublisher.ClaimIsolation);
            Assert.NotEmpty(await publisher.QueryAsync(LeaderboardPublisher.Claim, new { claimSize = LeaderboardPublisher.ClaimSize }, claim));

            // The publisher keeps its claim while it writes Redis; awards go on meanwhile.
            award = LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolRequestAsync(member.Id));
            finished = await Task.WhenAny(award, Task.Delay(TimeSpan.FromSeconds(5)));
            await claim.RollbackAsync();
        }
        finally
        {
            await Leaderboard.ReleaseAsync(redis, keys, "this-test");
        }

        Assert.Same(award, finished);
        Assert.Equal(HttpStatusCode.Created, (await award).StatusCode);
    }

    [Fact]
    public async Task AwardPoints_WhenTheBatchWritesNothing_LeavesNoMemberLocked()
    {
        var (_, member) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolRequestAsync(member.Id)))
            .EnsureSuccessStatusCode();

        // Work from before the first rule took effect: the batch locks the member, finds no rule and writes nothing.
        var refused = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolRequestAsync(member.Id, BeforeTheRules));

        Assert.False(refused.IsSuccessStatusCode);
        await using var connection = await App.Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var locked = await connection.ExecuteScalarAsync<long>("SELECT member_id FROM member_point_totals WHERE member_id = @id FOR UPDATE NOWAIT",
            new { id = member.Id }, transaction);
        Assert.Equal(member.Id, locked);
    }

    [Fact]
    public async Task DrainAsync_WhenOneBatchAwardsSeveralMembers_MovesEachMembersChangeToTheBoard()
    {
        var (_, a) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        var (_, b) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        string[] outbox;
        await using (var connection = await App.Db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation))
        {
            AwardBatch.Run(connection, transaction,
                [Patrol(a.Id, await PatrolOfAsync(a.Id)), Patrol(b.Id, await PatrolOfAsync(b.Id)), Patrol(a.Id, await PatrolOfAsync(a.Id))],
                App.Clock.DbUtcNow());
            // Read before commit, while the publisher running in the background cannot have taken it.
            outbox = [.. await connection.QueryAsync<string>("SELECT changes FROM leaderboard_outbox", transaction: transaction)];
            await transaction.CommitAsync();
        }
        var ours = outbox.Select(changes => JsonSerializer.Deserialize<long[][]>(changes)!)
            .Where(changes => changes.Any(c => c[0] == a.Id || c[0] == b.Id)).ToList();
        Assert.Equal([[a.Id, 20], [b.Id, 10]], Assert.Single(ours).OrderBy(c => c[0] == a.Id ? 0 : 1));

        var redis = App.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var board = App.Services.GetRequiredService<RedisKeys>().Leaderboard(Quarter.Of(Today).ToString(), "Grid", GridHh01);
        await App.Services.GetRequiredService<LeaderboardPublisher>().DrainAsync(default);
        Assert.Equal(20, await redis.SortedSetScoreAsync(board, Leaderboard.Member(a.Id)));
        Assert.Equal(10, await redis.SortedSetScoreAsync(board, Leaderboard.Member(b.Id)));
    }

    [Fact]
    public async Task DrainAsync_WhileAnotherPassHoldsTheLock_WaitsForItAndLeavesTheChangeOnTheBoard()
    {
        var (_, member) = await App.NewMemberAsync(VillageAdminHh, GridHh01);
        var redis = App.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var keys = App.Services.GetRequiredService<RedisKeys>();
        var board = keys.Leaderboard(Quarter.Of(Today).ToString(), "Grid", GridHh01);
        await Leaderboard.LockAsync(redis, keys, "another-pass", TimeSpan.FromSeconds(30), default);
        Task drain;
        try
        {
            await using (var connection = await App.Db.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation))
            {
                AwardBatch.Run(connection, transaction, [Patrol(member.Id, await PatrolOfAsync(member.Id))], App.Clock.DbUtcNow());
                await transaction.CommitAsync();
            }
            drain = App.Services.GetRequiredService<LeaderboardPublisher>().DrainAsync(default);
            await Task.Delay(500);
            Assert.False(drain.IsCompleted);
        }
        finally
        {
            await Leaderboard.ReleaseAsync(redis, keys, "another-pass");
        }

        await drain;

        Assert.Equal(10, await redis.SortedSetScoreAsync(board, Leaderboard.Member(member.Id)));
    }

    /// <summary>Until a statement of the batch that names <paramref name="statement"/> runs (the process list shows the
    /// statement running, not the whole batch), which it can only finish once the other transaction ends.</summary>
    private async Task WaitForALockWaitAsync(string statement = "INSERT INTO point_entries")
    {
        await using var connection = await App.Db.OpenConnectionAsync();
        for (var i = 0; i < 100; i++)
        {
            // innodb_trx needs the PROCESS privilege; the process list shows the application user its own sessions.
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND info LIKE CONCAT('%', @statement, '%')", new { statement }) > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The batch never waited on the other transaction.");
    }
}
