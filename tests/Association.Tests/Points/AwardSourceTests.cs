using System.Net;
using System.Net.Http.Json;
using Association.Api.Platform;
using Association.Api.Points;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Points;

/// <summary>An award's source is the awarded member's own verified work, in the caller's scope; nothing else earns or discloses.</summary>
public sealed class AwardSourceTests(DemoApp app) : LedgerTests(app)
{
    private const string OtherGrid = "TX-DTP-HH-02";

    private DateTimeOffset At => App.Clock.Now.AddMinutes(-30);

    private async Task<PointStatement> StatementAsync(long memberId) =>
        (await SubDistrictAdmin.Client.GetFromJsonAsync<PointStatement>($"/api/points/members/{memberId}?pageSize=100"))!;

    /// <summary>A record of <paramref name="kind"/> of the member's verified work, and the award it earns.</summary>
    private async Task<AwardRequest> VerifiedAsync(string kind, long memberId, long? patrolParticipation = null) => kind switch
    {
        "Patrol" => new(memberId, WorkKind.PatrolCompleted, AwardSourceKind.Patrol,
            await App.ConfirmedPatrolAsync(memberId, LeaderHh01.UserId, At, participationId: patrolParticipation), 1, At),
        "GridReport" => new(memberId, WorkKind.HazardConfirmed, AwardSourceKind.GridReport, await App.AcceptedReportAsync(memberId, At), 1, At),
        _ => new(memberId, WorkKind.PublicityPublished, AwardSourceKind.Publicity,
            await App.PublishedPublicityAsync(memberId, LeaderHh01.UserId, At.ChinaDay()), 1, At),
    };

    [Theory]
    [InlineData("Patrol")]
    [InlineData("GridReport")]
    [InlineData("Publicity")]
    public async Task AwardPoints_WhenAnotherGridsLeaderNamesGridAsWork_IsRefusedAndDisclosesNothingAndTheWorkStillEarns(string kind)
    {
        var (_, ours) = await App.NewMemberAsync("TX-DTP-HH-01");
        var (_, theirs) = await App.NewMemberAsync(OtherGrid);
        var otherLeader = await App.GridLeaderAsync(OtherGrid);
        var awarded = await VerifiedAsync(kind, ours.Id);
        var entry = (await (await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", awarded)).Content.ReadFromJsonAsync<PointEntry>())!;
        await using var connection = await App.Db.OpenConnectionAsync();
        var next = 1 + await connection.ExecuteScalarAsync<long>(kind switch
        {
            "Patrol" => "SELECT MAX(id) FROM patrol_members",
            "GridReport" => "SELECT MAX(id) FROM grid_reports",
            _ => "SELECT MAX(id) FROM publicity_works",
        });

        // Grid A's awarded work, to a member of grid B or to its own member; and ids of grid A's work still to come.
        var answers = new List<HttpResponseMessage>
        {
            await otherLeader.Client.PostAsJsonAsync("/api/points/awards", awarded with { MemberId = theirs.Id }),
            await otherLeader.Client.PostAsJsonAsync("/api/points/awards", awarded),
        };
        for (var id = next; id < next + 2; id++)
        {
            answers.Add(await otherLeader.Client.PostAsJsonAsync("/api/points/awards", awarded with { MemberId = theirs.Id, SourceId = id }));
        }
        var future = await VerifiedAsync(kind, ours.Id, patrolParticipation: next);
        var futureAward = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", future);

        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.DoesNotContain($"\"id\":{entry.Id}", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"points\":", body, StringComparison.Ordinal);
        }
        Assert.Equal(next, future.SourceId);
        Assert.Equal(HttpStatusCode.Created, futureAward.StatusCode);
        Assert.Empty((await StatementAsync(theirs.Id)).Entries);
        Assert.Equal(2, (await StatementAsync(ours.Id)).Entries.Count);
    }

    [Theory]
    [InlineData("unconfirmed")]
    [InlineData("confirmed by the member")]
    [InlineData("another member's")]
    [InlineData("another day")]
    [InlineData("another kind of work")]
    [InlineData("more hours than patrolled")]
    [InlineData("no such record")]
    public async Task AwardPoints_WhenTheRecordIsNotTheMembersVerifiedWorkAsClaimed_Returns404AndWritesNothing(string what)
    {
        var (person, member) = await App.NewMemberAsync("TX-DTP-HH-01");
        var (_, colleague) = await App.NewMemberAsync("TX-DTP-HH-01");
        var source = await App.ConfirmedPatrolAsync(what == "another member's" ? colleague.Id : member.Id,
            what == "confirmed by the member" ? person.UserId : LeaderHh01.UserId, At, hours: 2);
        if (what == "unconfirmed")
        {
            await using var connection = await App.Db.OpenConnectionAsync();
            await connection.ExecuteAsync("UPDATE patrols SET status = 'Finished' WHERE id = (SELECT patrol_id FROM patrol_members WHERE id = @source)", new { source });
        }
        var award = new AwardRequest(member.Id, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, source, 1, At);
        award = what switch
        {
            "another day" => award with { OccurredAt = At.AddDays(-1) },
            "another kind of work" => award with { WorkKind = WorkKind.DisputeResolved },
            "more hours than patrolled" => award with { WorkKind = WorkKind.PatrolHour, SourceKind = AwardSourceKind.PatrolHour, Units = 3 },
            "no such record" => award with { SourceId = source + 1000 },
            _ => award,
        };

        var response = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", award);
        var statement = await StatementAsync(member.Id);
        // The record as it is (two hours, on its day) earns when it is the member's verified work: the claim was the fault.
        var asItIs = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards",
            new AwardRequest(member.Id, WorkKind.PatrolHour, AwardSourceKind.PatrolHour, source, 2, At));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(statement.Entries);
        Assert.Equal(what is "another day" or "another kind of work" or "more hours than patrolled" or "no such record"
            ? HttpStatusCode.Created : HttpStatusCode.NotFound, asItIs.StatusCode);
    }

    [Fact]
    public async Task AwardPoints_WhenOffline_TakesAnAdminAndANoteAndShowsAsOfflineInTheStatement()
    {
        var (_, member) = await App.NewMemberAsync("TX-DTP-HH-01");
        var offline = new AwardRequest(member.Id, WorkKind.EventAttended, AwardSourceKind.Offline, null, 1, At, "消防演练签到表 11月");

        var byLeader = await LeaderHh01.Client.PostAsJsonAsync("/api/points/awards", offline);
        var byAdmin = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/awards", offline);
        var again = await VillageAdminHh.Client.PostAsJsonAsync("/api/points/awards", offline);

        await byLeader.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        // Offline work has no record to be unique on: a second award is a second award, and the caps bound them.
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var entries = (await StatementAsync(member.Id)).Entries;
        Assert.All(entries, e => Assert.Equal((AwardSourceKind.Offline, (long?)null, "消防演练签到表 11月", VillageAdminHh.UserId),
            (e.SourceKind!.Value, e.SourceId, e.Note, e.CausedBy!.Value)));
        Assert.Equal([5, 5], entries.Select(e => e.Points));
    }
}
