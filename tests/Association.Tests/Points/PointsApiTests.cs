using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Association.Api.Points;
using Association.Api.Roles;
using Association.Tests.Infrastructure;
using Association.Tests.Members;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace Association.Tests.Points;

public sealed class PointsApiTests(DemoApp app) : LedgerTests(app)
{
    private async Task<(SignedIn Person, MemberView Member)> NewMemberAsync() => await App.NewMemberAsync(VillageAdminHh, GridHh01);

    /// <summary>The award of a patrol the member made at <paramref name="at"/>, confirmed by the leader of the grid.</summary>
    private async Task<AwardRequest> PatrolAsync(long memberId, DateTimeOffset? at = null)
    {
        var startedAt = at ?? App.Clock.Now.AddMinutes(-5);
        var source = await App.ConfirmedPatrolAsync(memberId, LeaderHh01.UserId, startedAt);
        return new(memberId, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, source, 1, startedAt);
    }

    private async Task<HttpResponseMessage> AdjustWithKeyAsync(string key, AdjustmentRequest adjustment)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/points/adjustments") { Content = JsonContent.Create(adjustment) };
        request.Headers.Add("Idempotency-Key", key);
        return await VillageAdminHh.Client.SendAsync(request);
    }

    private async Task<PointStatement> StatementAsync(long memberId) =>
        (await SubDistrictAdmin.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{memberId}?pageSize=100"))!;

    [Fact]
    public async Task AwardPoints_WhenRuleIsInForce_AddsOneEntryAndMovesEveryTotal()
    {
        var (person, member) = await NewMemberAsync();

        var response = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = (await response.Content.ReadFromJsonAsync<PointEntry>())!;
        Assert.Equal((10, 1, EntryKind.Award), (entry.Points, entry.RuleVersion!.Value, entry.Kind));
        var mine = (await person.Client.GetFromJsonAsync<PointStatement>("/api/points/me"))!;
        Assert.Equal(10, mine.Totals.Balance);
        var quarter = Quarter.Of(App.Clock.Now.AddMinutes(-5));
        Assert.Contains(new PeriodPoints(quarter.ToString(), 10), mine.Totals.Periods);
        Assert.Contains(new PeriodPoints(quarter.Year.ToString(CultureInfo.InvariantCulture), 10), mine.Totals.Periods);
        Assert.Equal(entry.Id, Assert.Single(mine.Entries).Id);
    }

    [Fact]
    public async Task AwardPoints_WhenAOneOffKindIsAwardedTwiceInAQuarter_ItsCapHoldsTheSecond()
    {
        var (_, member) = await NewMemberAsync();
        var at = App.Clock.Now;
        var covers = new[] { await App.InsuranceCoverageAsync(member.Id, VillageAdminHh.UserId), await App.InsuranceCoverageAsync(member.Id, VillageAdminHh.UserId) };

        var entries = new List<PointEntry>();
        foreach (var cover in covers)
        {
            var response = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
                new AwardRequest(member.Id, WorkKind.InsuranceEnrolled, AwardSourceKind.InsuranceCoverage, cover, 1, at));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            entries.Add((await response.Content.ReadFromJsonAsync<PointEntry>())!);
        }

        Assert.Equal([(5, null), (0, 5)], entries.Select(e => (e.Points, e.Reason is null ? (int?)null : e.RequestedPoints)));
        Assert.Contains("季度上限", entries[1].Reason);
    }

    [Fact]
    public async Task AwardPoints_WhenWorkWasDoneOnTheLastEveningOfAQuarter_CountsInThatQuarterInChinaTime()
    {
        var (_, member) = await NewMemberAsync();

        var current = App.Clock.CurrentQuarter;
        // Midnight in China, 16:00 UTC the day before.
        var boundary = current.StartsAt;

        var lastMinuteBefore = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id, at: boundary.AddMinutes(-1)));
        var firstMinute = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id, at: boundary));

        Assert.Equal(current.Previous.ToString(), (await lastMinuteBefore.Content.ReadFromJsonAsync<PointEntry>())!.Quarter);
        Assert.Equal(current.ToString(), (await firstMinute.Content.ReadFromJsonAsync<PointEntry>())!.Quarter);
    }

    [Fact]
    public async Task GetMemberPointStatement_WhenTheYearHasPointsInSeveralQuarters_GivesTheYearAsTheirSum()
    {
        var (_, member) = await NewMemberAsync();
        var current = App.Clock.CurrentQuarter;
        (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
            await PatrolAsync(member.Id, at: current.StartsAt.AddDays(-2)))).EnsureSuccessStatusCode();
        for (var i = 0; i < 2; i++)
        {
            (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
                await PatrolAsync(member.Id, at: current.StartsAt.AddHours(i)))).EnsureSuccessStatusCode();
        }

        var periods = (await StatementAsync(member.Id)).Totals.Periods;

        // In a first quarter the previous one is last year's: then each year has its own sum.
        PeriodPoints[] quarters = [new(current.ToString(), 20), new(current.Previous.ToString(), 10)];
        var years = new[] { (current.Year, 20), (current.Previous.Year, 10) }
            .GroupBy(y => y.Item1, y => y.Item2, (year, points) => new PeriodPoints(year.ToString(CultureInfo.InvariantCulture), points.Sum()));
        static IEnumerable<PeriodPoints> Ordered(IEnumerable<PeriodPoints> p) =>
            p.OrderByDescending(p => p.Period.Length).ThenByDescending(p => p.Period, StringComparer.Ordinal);
        Assert.Equal(Ordered(quarters.Concat(years)), Ordered(periods));
        Assert.DoesNotContain(await PointsInvariant.CheckAsync(App.Db), d => d.MemberId == member.Id);
    }

    [Fact]
    public async Task AwardPoints_WhenTheWorksQuarterIsFinal_CountsInTheQuarterOfApproval()
    {
        var (_, member) = await NewMemberAsync();
        // Two quarters back, so the tests of the previous quarter in this class find it open.
        var final = App.Clock.CurrentQuarter.Previous.Previous;
        var midQuarter = TestClock.ChinaTimeOn(final.FirstDay.AddDays(45));
        var early = (await (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id, at: midQuarter))).Content.ReadFromJsonAsync<PointEntry>())!;
        Assert.Equal(final.ToString(), early.Quarter);
        var job = App.Services.GetRequiredService<Association.Api.Rankings.RankingsJob>();
        await job.ComputeAsync(final.ToString(), finalise: true, default);

        var late = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id, at: midQuarter.AddDays(1)));
        var reversal = await VillageAdminHh.Client.PostAsJsonAsync(
            $"/api/points/entries/{early.Id}/reverse", new ReversalRequest("重复登记"));

        var current = App.Clock.CurrentQuarter.ToString();
        Assert.Equal(current, (await late.Content.ReadFromJsonAsync<PointEntry>())!.Quarter);
        Assert.Equal(current, (await reversal.Content.ReadFromJsonAsync<PointEntry>())!.Quarter);
        var totals = (await StatementAsync(member.Id)).Totals;
        Assert.Contains(new PeriodPoints(final.ToString(), 10), totals.Periods);
        await using var connection = await App.Db.OpenConnectionAsync();
        Assert.Equal(10, await connection.ExecuteScalarAsync<int>("""
            SELECT r.points FROM ranking_quarters q JOIN member_ranks r ON r.run_id = q.current_run
             WHERE q.quarter = @quarter AND q.status = 'Final' AND r.member_id = @id
            """, new { id = member.Id, quarter = final.ToString() }));
    }

    [Fact]
    public async Task AwardPoints_WhenSourceIsAwardedAgainOrConcurrently_KeepsOneEntry()
    {
        var (_, member) = await NewMemberAsync();
        var request = await PatrolAsync(member.Id);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? LeaderHh01 : VillageAdminHh).Client.PostAsJsonAsync("/api/points/awards", request)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        var statement = await StatementAsync(member.Id);
        Assert.Single(statement.Entries);
        Assert.Equal(10, statement.Totals.Balance);
    }

    [Fact]
    public async Task AwardPoints_WhenDailyCapIsReached_CapsTheAwardAndRecordsWhy()
    {
        var (_, member) = await NewMemberAsync();
        var at = App.Clock.Now.AddMinutes(-10);

        var granted = new List<PointEntry>();
        for (var i = 0; i < 3; i++)
        {
            var response = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id, at: at));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            granted.Add((await response.Content.ReadFromJsonAsync<PointEntry>())!);
        }

        Assert.Equal([10, 10, 0], granted.Select(e => e.Points));
        Assert.Equal(10, granted[2].RequestedPoints);
        Assert.Contains("每日上限", granted[2].Reason);
        Assert.Equal(20, (await StatementAsync(member.Id)).Totals.Balance);
    }

    [Theory]
    [InlineData("units", 0)]
    [InlineData("units", 100_000)]
    [InlineData("occurredAt", 1)]
    [InlineData("workKind", 2)]
    [InlineData("sourceKind", 3)]
    [InlineData("sourceId", 4)]
    [InlineData("note", 5)]
    [InlineData("note", 6)]
    [InlineData("sourceId", 7)]
    public async Task AwardPoints_WhenInputIsWrong_Returns400NamingTheFieldAndWritesNothing(string field, int variant)
    {
        var (_, member) = await NewMemberAsync();
        var good = await PatrolAsync(member.Id);
        var offline = good with { SourceKind = AwardSourceKind.Offline, SourceId = null, Note = "纸质签到表第3页" };
        var bad = (field, variant) switch
        {
            ("units", _) => good with { Units = variant },
            ("occurredAt", _) => good with { OccurredAt = App.Clock.Now.AddDays(2) },
            // Within the last year, but before any rule of its kind took effect.
            ("workKind", _) => offline with { OccurredAt = TestClock.ChinaTimeOn(App.PointRulesFrom.AddDays(-1)) },
            ("sourceKind", _) => good with { SourceKind = null },
            ("sourceId", 4) => good with { SourceId = null },
            ("note", 5) => good with { Note = "记录之外的说明" },
            ("note", _) => offline with { Note = " " },
            _ => offline with { SourceId = good.SourceId },
        };

        var response = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/awards", bad);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Empty((await StatementAsync(member.Id)).Entries);
    }

    [Fact]
    public async Task AwardPoints_WhenWorkKindIsUnknownText_Returns400()
    {
        var (_, member) = await NewMemberAsync();

        var yesterday = App.Clock.Now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture);
        var response = await LeaderHh01.Client.PostAsync("/api/points/awards", new StringContent(
            $$"""{"memberId":{{member.Id}},"workKind":"Sleeping","sourceKind":"Patrol","sourceId":1,"units":1,"occurredAt":"{{yesterday}}"}""",
            System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AwardPoints_WhenMemberIsOutsideScopeOrTheCaller_IsRefused()
    {
        var (_, member) = await NewMemberAsync();
        var otherLeader = await App.SignInWithRoleAsync("gl-hh02", Role.GridLeader, "TX-DTP-HH-02");
        var user = "gl-self-" + Guid.NewGuid().ToString("N")[..6];
        var (_, leaderAsMember) = await App.NewMemberAsync(VillageAdminHh, GridHh01, user: user);
        var selfLeader = await App.SignInWithRoleAsync(user, Role.GridLeader, "TX-DTP-HH-01");

        var outside = await otherLeader.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id));
        var unknown = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", (await PatrolAsync(member.Id)) with { MemberId = 987654321 });
        var toSelf = await selfLeader.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(leaderAsMember.Id));

        await outside.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await toSelf.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AdjustPoints_WhenAdminGivesReason_AddsEntryButNeverToThemselvesOrByALeader()
    {
        var (_, member) = await NewMemberAsync();
        var adminAsMember = await App.NewMemberAsync(SubDistrictAdmin, GridHh01, user: DemoApp.CastUser(Role.VillageAdmin, "TX-DTP-HH"));

        var adjusted = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, -7, "巡逻记录不实"));
        var byLeader = await LeaderHh01.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, 5, "奖励"));
        var toSelf = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(adminAsMember.Member.Id, 500, "自己加分"));
        var zero = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, 0, "零分"));
        var huge = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, int.MaxValue, "很多"));
        var noReason = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, 5, " "));

        Assert.Equal(HttpStatusCode.Created, adjusted.StatusCode);
        await byLeader.AssertProblemAsync(HttpStatusCode.Forbidden);
        await toSelf.AssertProblemAsync(HttpStatusCode.Forbidden);
        await zero.AssertProblemAsync(HttpStatusCode.BadRequest);
        await huge.AssertProblemAsync(HttpStatusCode.BadRequest);
        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(-7, (await StatementAsync(member.Id)).Totals.Balance);
        Assert.Empty((await StatementAsync(adminAsMember.Member.Id)).Entries);
    }

    [Fact]
    public async Task AdjustPoints_WhenManyAdjustmentsRaceOnOneMember_BalanceEqualsTheLedger()
    {
        var (_, member) = await NewMemberAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? VillageAdminHh : SubDistrictAdmin).Client.PostAsJsonAsync("/api/points/adjustments", new AdjustmentRequest(member.Id, 3, "活动加分"))));

        var statement = await StatementAsync(member.Id);
        Assert.Equal(20, statement.Total);
        Assert.Equal(60, statement.Totals.Balance);
        Assert.Empty(await PointsInvariant.CheckAsync(App.Db));
    }

    [Fact]
    public async Task ReverseEntry_WhenAwardIsReversed_AddsOppositeEntryOnceInTheOriginalQuarter()
    {
        var (_, member) = await NewMemberAsync();
        var previous = App.Clock.CurrentQuarter.Previous;
        var award = (await (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
            await PatrolAsync(member.Id, at: TestClock.ChinaTimeOn(previous.FirstDay.AddDays(31))))).Content.ReadFromJsonAsync<PointEntry>())!;

        var reversed = await VillageAdminHh.Client.PostAsJsonAsync($"/api/points/entries/{award.Id}/reverse", new ReversalRequest("重复登记"));
        var again = await VillageAdminHh.Client.PostAsJsonAsync($"/api/points/entries/{award.Id}/reverse", new ReversalRequest("重复登记"));
        var reversal = (await reversed.Content.ReadFromJsonAsync<PointEntry>())!;
        var ofReversal = await VillageAdminHh.Client.PostAsJsonAsync($"/api/points/entries/{reversal.Id}/reverse", new ReversalRequest("再撤销"));
        var byLeader = await LeaderHh01.Client.PostAsJsonAsync($"/api/points/entries/{award.Id}/reverse", new ReversalRequest("组长撤销"));

        Assert.Equal((-10, previous.ToString(), award.Id), (reversal.Points, reversal.Quarter, reversal.ReversesEntryId!.Value));
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        await ofReversal.AssertProblemAsync(HttpStatusCode.Conflict);
        await byLeader.AssertProblemAsync(HttpStatusCode.Forbidden);
        var statement = await StatementAsync(member.Id);
        Assert.Equal(0, statement.Totals.Balance);
        Assert.Contains(new PeriodPoints(previous.ToString(), 0), statement.Totals.Periods);
    }

    [Fact]
    public async Task AdjustPoints_WhenTwoKeysDifferOnlyInCase_MakesTwoEntries()
    {
        var (_, member) = await NewMemberAsync();
        var key = "Case-" + Guid.NewGuid().ToString("N")[..12];

        var upper = await AdjustWithKeyAsync(key.ToUpperInvariant(), new AdjustmentRequest(member.Id, 3, "补录"));
        var lower = await AdjustWithKeyAsync(key.ToLowerInvariant(), new AdjustmentRequest(member.Id, 4, "补录"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (upper.StatusCode, lower.StatusCode));
        Assert.False(lower.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(7, (await StatementAsync(member.Id)).Totals.Balance);
    }

    [Fact]
    public async Task AdjustPoints_WhenRetriedWithSameIdempotencyKey_WritesOnce()
    {
        var (_, member) = await NewMemberAsync();
        var key = Guid.NewGuid().ToString();

        var first = await AdjustWithKeyAsync(key, new AdjustmentRequest(member.Id, 4, "宣传加分"));
        var retry = await AdjustWithKeyAsync(key, new AdjustmentRequest(member.Id, 4, "宣传加分"));

        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Single((await StatementAsync(member.Id)).Entries);
    }

    [Fact]
    public async Task AdjustPoints_WhenOneKeyArrivesManyTimesAtOnce_WritesOnceAndReplaysItToTheRest()
    {
        var (_, member) = await NewMemberAsync();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => AdjustWithKeyAsync(key, new AdjustmentRequest(member.Id, 4, "宣传加分"))));

        // The others wait for the first one's transaction, and then answer what it answered.
        var original = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
        var body = await original.Content.ReadAsStringAsync();
        foreach (var other in responses.Where(r => r != original))
        {
            Assert.Equal((HttpStatusCode.Created, true, body), (other.StatusCode, other.Headers.Contains("Idempotent-Replayed"), await other.Content.ReadAsStringAsync()));
        }
        Assert.Single((await StatementAsync(member.Id)).Entries);
    }

    [Fact]
    public async Task IdempotencyCleanup_WhenAnswersAreOldOrRequestsDied_ForgetsThemAndKeepsRecentOnes()
    {
        var (_, member) = await NewMemberAsync();
        var (old, recent, abandoned) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        Task<HttpResponseMessage> AdjustAsync(string key, int points) => AdjustWithKeyAsync(key, new AdjustmentRequest(member.Id, points, "补录"));
        (await AdjustAsync(old, 1)).EnsureSuccessStatusCode();
        (await AdjustAsync(recent, 2)).EnsureSuccessStatusCode();
        var probe = Guid.NewGuid().ToString();
        (await AdjustAsync(probe, 3)).EnsureSuccessStatusCode();
        await using (var connection = await App.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE idempotency_keys SET created_at = created_at - INTERVAL 25 HOUR WHERE idem_key = @old", new { old });
            // A request whose instance died before it answered: claimed, never completed.
            await connection.ExecuteAsync("""
                INSERT INTO idempotency_keys (caller_id, idem_key, request_hash, created_at)
                SELECT caller_id, @abandoned, request_hash, @claimedAt FROM idempotency_keys WHERE idem_key = @probe
                """, new { probe, abandoned, claimedAt = App.Clock.DbUtcNow().AddMinutes(-11) });
        }
        Assert.Equal(HttpStatusCode.Conflict, (await AdjustAsync(abandoned, 3)).StatusCode);

        var dropped = await App.Services.GetRequiredService<Association.Api.Platform.Http.IdempotencyKeysCleanupJob>().RunAsync(default);

        Assert.Equal(2, dropped);
        Assert.Equal(HttpStatusCode.Created, (await AdjustAsync(abandoned, 3)).StatusCode);
        // The recent answer is still replayed; the old key is free again and makes a new entry.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await AdjustAsync(recent, 5)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await AdjustAsync(old, 4)).StatusCode);
        Assert.Equal(5, (await StatementAsync(member.Id)).Entries.Count);
    }

    [Fact]
    public async Task Ledger_WhenSomeoneTriesToEditIt_IsRefusedByTheDatabase()
    {
        var (_, member) = await NewMemberAsync();
        (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id))).EnsureSuccessStatusCode();
        await using var connection = await App.Db.OpenConnectionAsync();

        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("UPDATE point_entries SET points = 1000 WHERE member_id = @id", new { id = member.Id }));
        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("DELETE FROM point_entries WHERE member_id = @id", new { id = member.Id }));
        await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("UPDATE point_rules SET points_per_unit = 1000"));
    }

    [Fact]
    public async Task InvariantCheck_WhenATotalIsTamperedWith_ReportsTheDifference()
    {
        var (_, member) = await NewMemberAsync();
        (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", await PatrolAsync(member.Id))).EnsureSuccessStatusCode();
        Assert.DoesNotContain(await PointsInvariant.CheckAsync(App.Db), d => d.MemberId == member.Id);
        await using var connection = await App.Db.OpenConnectionAsync();

        await connection.ExecuteAsync("UPDATE member_point_totals SET balance = balance + 1 WHERE member_id = @id", new { id = member.Id });
        try
        {
            var difference = Assert.Single(await PointsInvariant.CheckAsync(App.Db), d => d.MemberId == member.Id);
            Assert.Equal(("balance", 11L, 10L), (difference.Period, difference.Stored, difference.FromLedger));
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE member_point_totals SET balance = balance - 1 WHERE member_id = @id", new { id = member.Id });
        }
    }

    [Fact]
    public async Task GetMemberPointStatement_WhenAskedByLeaderOfAnotherGrid_Returns404()
    {
        var (_, member) = await NewMemberAsync();
        var otherLeader = await App.SignInWithRoleAsync("gl-xf01", Role.GridLeader, "TX-DTP-XF-01");

        var response = await otherLeader.Client.GetAsync($"/api/points/members/{member.Id}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AwardPoints_WhenANewVersionTakesEffectLater_BothPathsUseTheVersionInForceOnTheDayOfTheWork()
    {
        var subDistrict = await App.UnitIdAsync("TX-DTP");
        var today = App.Clock.Today;
        var from = today.AddDays(10);
        (await SubDistrictAdmin.Client.PostAsJsonAsync("/api/points/rules",
            new NewRuleRequest(subDistrict, WorkKind.InformationCollected, 7, null, 1000, from))).EnsureSuccessStatusCode();
        var (_, member) = await NewMemberAsync();
        var leaderId = LeaderHh01.UserId;
        static DateTimeOffset DayOf(DateOnly day) => TestClock.ChinaTimeOn(day, hour: 12);
        async Task<AwardCommand> InfoAsync(DateOnly day) => new(leaderId, member.Id, WorkKind.InformationCollected, AwardSourceKind.GridReport,
            await App.AcceptedReportAsync(member.Id, DayOf(day), kind: "InformationCollected"), 1, DayOf(day));
        var (dayBefore, firstDay) = (await InfoAsync(from.AddDays(-1)), await InfoAsync(from));
        var (oneBefore, oneOnTheDay) = (await InfoAsync(from.AddDays(-1)), await InfoAsync(from));

        await using var connection = await App.Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation);
        var batch = AwardBatch.Run(connection, transaction, [dayBefore, firstDay], App.Clock.DbUtcNow());
        var before = await PointsLedger.AwardAsync(connection, transaction, member.Id, WorkKind.InformationCollected, AwardSourceKind.GridReport,
            oneBefore.SourceId, 1, oneBefore.OccurredAt, leaderId, App.Clock.DbUtcNow(), default);
        var after = await PointsLedger.AwardAsync(connection, transaction, member.Id, WorkKind.InformationCollected, AwardSourceKind.GridReport,
            oneOnTheDay.SourceId, 1, oneOnTheDay.OccurredAt, leaderId, App.Clock.DbUtcNow(), default);
        var points = await connection.QueryAsync<int>("SELECT points FROM point_entries WHERE id IN @ids ORDER BY id",
            new { ids = new[] { before.EntryId!.Value, after.EntryId!.Value } }, transaction);
        await transaction.RollbackAsync();

        Assert.NotEqual(7, batch[0].Entry!.Points);
        Assert.Equal(7, batch[1].Entry!.Points);
        Assert.Equal([batch[0].Entry!.Points, 7], points);
    }

    [Fact]
    public async Task CreatePointRuleVersion_WhenChanged_AppliesFromItsDateAndKeepsPastAwards()
    {
        var subDistrict = await App.UnitIdAsync("TX-DTP");
        var tomorrow = App.Clock.Today.AddDays(1);
        var (_, member) = await NewMemberAsync();
        var before = (await (await VillageAdminHh.Client.PostAsJsonAsync("/api/points/awards",
            new AwardRequest(member.Id, WorkKind.EventAttended, AwardSourceKind.Offline, null, 1, App.Clock.Now.AddMinutes(-1), "社区活动签到表")))
            .Content.ReadFromJsonAsync<PointEntry>())!;

        var created = await SubDistrictAdmin.Client.PostAsJsonAsync("/api/points/rules", new NewRuleRequest(subDistrict, WorkKind.EventAttended, 8, 16, 160, tomorrow));
        var past = await SubDistrictAdmin.Client.PostAsJsonAsync("/api/points/rules", new NewRuleRequest(subDistrict, WorkKind.EventAttended, 8, null, 160, tomorrow.AddDays(-30)));
        var byVillageAdmin = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/rules", new NewRuleRequest(subDistrict, WorkKind.EventAttended, 9, null, 160, tomorrow.AddDays(2)));
        var negative = await SubDistrictAdmin.Client.PostAsJsonAsync("/api/points/rules", new NewRuleRequest(subDistrict, WorkKind.EventAttended, -1, null, 160, tomorrow.AddDays(3)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (await created.Content.ReadFromJsonAsync<PointRule>())!.Version);
        await past.AssertProblemAsync(HttpStatusCode.BadRequest);
        // The sub-district is above the village admin: answered as one that does not exist.
        await byVillageAdmin.AssertProblemAsync(HttpStatusCode.BadRequest);
        await negative.AssertProblemAsync(HttpStatusCode.BadRequest);
        var rules = (await LeaderHh01.Client.GetFromJsonAsync<List<PointRule>>($"/api/points/rules?subDistrictId={subDistrict}"))!;
        Assert.Equal([2, 1], rules.Where(r => r.WorkKind == WorkKind.EventAttended).Select(r => r.Version));
        var statement = await StatementAsync(member.Id);
        Assert.Equal((5, 1), (statement.Entries.Single(e => e.Id == before.Id).Points, statement.Entries.Single(e => e.Id == before.Id).RuleVersion!.Value));
    }
}
