using System.Net;
using System.Net.Http.Json;
using Association.Api.Points;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Platform;

/// <summary>
/// An Idempotency-Key is claimed and answered in the transaction of the write it protects: a write that committed is
/// replayed to every retry, even when its first answer was lost; a request that wrote nothing leaves its key free.
/// </summary>
public sealed class IdempotencyTests(DemoApp app) : Points.LedgerTests(app)
{
    private async Task<HttpResponseMessage> PostAsync(SignedIn who, string path, object body, string key, bool failAfterWrite = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        if (failAfterWrite)
        {
            request.Headers.Add(FailAfterWrite.Header, "1");
        }
        return await who.Client.SendAsync(request);
    }

    private async Task<PointStatement> StatementAsync(long memberId) =>
        (await SubDistrictAdmin.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{memberId}?pageSize=100"))!;

    private async Task<long> KeyRowsAsync(long callerId, string key)
    {
        await using var connection = await App.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE caller_id = @callerId AND idem_key = @key",
            new { callerId, key });
    }

    [Theory]
    [InlineData("adjustment")]
    [InlineData("award")]
    [InlineData("offline award")]
    public async Task Retry_WhenTheAnswerWasLostAfterTheWriteCommitted_ReplaysTheAnswerAndWritesOnce(string write)
    {
        var (_, member) = await App.NewMemberAsync("TX-DTP-HH-01");
        var at = App.Clock.Now.AddMinutes(-10);
        var (path, body, status) = write switch
        {
            "adjustment" => ("/api/points/adjustments", (object)new AdjustmentRequest(member.Id, 7, "补录活动积分"), HttpStatusCode.Created),
            "award" => ("/api/points/awards", new AwardRequest(member.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol,
                await App.ConfirmedPatrolAsync(member.Id, LeaderHh01.UserId, at), 1, at), HttpStatusCode.Created),
            _ => ("/api/points/awards", new AwardRequest(member.Id, WorkKind.EventAttended, AwardSourceKind.Offline, null, 1, at, "纸质签到表"),
                HttpStatusCode.Created),
        };
        var key = Guid.NewGuid().ToString();

        var lost = await PostAsync(VillageAdminHh, path, body, key, failAfterWrite: true);
        var retry = await PostAsync(VillageAdminHh, path, body, key);
        var again = await PostAsync(VillageAdminHh, path, body, key);

        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode);
        Assert.Equal((status, status), (retry.StatusCode, again.StatusCode));
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        var entry = (await retry.Content.ReadFromJsonAsync<PointEntry>())!;
        var statement = await StatementAsync(member.Id);
        Assert.Equal(entry.Id, Assert.Single(statement.Entries).Id);
        Assert.Equal(await retry.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Retry_WhenTheFirstRequestWroteNothing_IsDecidedAgainAndKeepsNoKey()
    {
        var (_, member) = await App.NewMemberAsync("TX-DTP-HH-01");
        var at = App.Clock.Now.AddMinutes(-10);
        var notYetConfirmed = new AwardRequest(member.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, 1_999_999_000 + Random.Shared.Next(1000), 1, at);
        var key = Guid.NewGuid().ToString();

        var refused = await PostAsync(LeaderHh01, "/api/points/awards", notYetConfirmed, key);
        var keysAfterRefusal = await KeyRowsAsync(LeaderHh01.UserId, key);
        // The record turns up (the patrol is confirmed meanwhile): the same request with the same key now earns.
        await App.ConfirmedPatrolAsync(member.Id, VillageAdminHh.UserId, at, participationId: notYetConfirmed.SourceId);
        var retry = await PostAsync(LeaderHh01, "/api/points/awards", notYetConfirmed, key);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(0, keysAfterRefusal);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await KeyRowsAsync(LeaderHh01.UserId, key));
    }

    [Fact]
    public async Task Retry_WhenTheKeyComesWithAnotherBodyOrFromAnotherCaller_Is422OrTheirOwn()
    {
        var (_, member) = await App.NewMemberAsync("TX-DTP-HH-01");
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(VillageAdminHh, "/api/points/adjustments", new AdjustmentRequest(member.Id, 3, "补录"), key);
        var otherBody = await PostAsync(VillageAdminHh, "/api/points/adjustments", new AdjustmentRequest(member.Id, 4, "补录"), key);
        var otherCaller = await PostAsync(SubDistrictAdmin, "/api/points/adjustments", new AdjustmentRequest(member.Id, 3, "补录"), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await otherBody.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.Created, otherCaller.StatusCode);
        Assert.False(otherCaller.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(6, (await StatementAsync(member.Id)).Totals.Balance);
    }

    [Fact]
    public async Task Awards_WhenManyKeyedArriveTogetherWithRetriesAmongThem_WriteEachOnceAndReplayTheRetries()
    {
        var (_, member) = await App.NewMemberAsync("TX-DTP-HH-01");
        var at = App.Clock.Now.AddMinutes(-10);
        var awards = new List<(AwardRequest Award, string Key)>();
        for (var i = 0; i < 8; i++)
        {
            awards.Add((new AwardRequest(member.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol,
                await App.ConfirmedPatrolAsync(member.Id, VillageAdminHh.UserId, at.AddMinutes(i)), 1, at.AddMinutes(i)), Guid.NewGuid().ToString()));
        }

        // Each award three times at once, under its key: in one batch or in several, racing each other.
        var responses = await Task.WhenAll(awards.SelectMany(a => Enumerable.Repeat(a, 3))
            .Select(async a =>
            {
                var response = await PostAsync(LeaderHh01, "/api/points/awards", a.Award, a.Key);
                return (a.Key, response.StatusCode, Replayed: response.Headers.Contains("Idempotent-Replayed"), Body: await response.Content.ReadAsStringAsync());
            }));

        foreach (var group in responses.GroupBy(r => r.Key))
        {
            Assert.All(group, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            Assert.Single(group, r => !r.Replayed);
            Assert.Single(group.Select(r => r.Body).Distinct());
        }
        Assert.Equal(8, (await StatementAsync(member.Id)).Entries.Count);
    }
}
