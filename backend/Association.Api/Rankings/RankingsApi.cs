using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// Quarterly rankings per grid, village and sub-district, as the ranking job last published them.
/// Anyone signed in may see a ranking (names are shown masked); members see where they stand.
/// </summary>
public static class RankingsApi
{
    public const int MaxTop = 100;

    public static RouteGroupBuilder MapRankingsApi(this RouteGroupBuilder api)
    {

        api.MapGet("/me", GetMyRanking)
            .WithSummary("Where I stand this quarter (or the one asked for) in my grid, village and sub-district, with my neighbours")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/me/history", GetMyRankHistory)
            .WithSummary("My rank in each ranked quarter");
        api.MapPost("/recompute", RecomputeRankings)
            .WithSummary("Run the ranking job now (SubDistrictAdmin); it is the same job the schedule runs")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/{quarter}/{scope}/{scopeId}", GetRanking)
            .WithSummary("The top of a grid's, village's or sub-district's ranking for a quarter")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    // A closing quarter (the job is finalising it) is still provisional to readers.
    internal const string QuarterHeader = """
        SELECT CASE status WHEN 'Final' THEN 'Final' ELSE 'Provisional' END AS status, computed_at, current_run
          FROM ranking_quarters WHERE quarter = @quarter
        """;

    // The scope picks the columns, which a parameter cannot, hence one query per scope.
    private const string GridEntries = """
        SELECT r.grid_rank AS `rank`, r.grid_position AS position, r.member_id, m.real_name, r.points, m.member_number, g.name AS grid_name
          FROM member_ranks r
          JOIN members m ON m.id = r.member_id
          JOIN org_units g ON g.id = r.grid_id
         WHERE r.run_id = @runId AND r.grid_id = @scopeId AND r.grid_position BETWEEN @from AND @to
         ORDER BY r.grid_position
        """;

    private const string VillageEntries = """
        SELECT r.village_rank AS `rank`, r.village_position AS position, r.member_id, m.real_name, r.points, m.member_number, g.name AS grid_name
          FROM member_ranks r
          JOIN members m ON m.id = r.member_id
          JOIN org_units g ON g.id = r.grid_id
         WHERE r.run_id = @runId AND r.village_id = @scopeId AND r.village_position BETWEEN @from AND @to
         ORDER BY r.village_position
        """;

    private const string SubDistrictEntries = """
        SELECT r.sub_district_rank AS `rank`, r.sub_district_position AS position, r.member_id, m.real_name, r.points, m.member_number, g.name AS grid_name
          FROM member_ranks r
          JOIN members m ON m.id = r.member_id
          JOIN org_units g ON g.id = r.grid_id
         WHERE r.run_id = @runId AND r.sub_district_id = @scopeId AND r.sub_district_position BETWEEN @from AND @to
         ORDER BY r.sub_district_position
        """;

    // A scope's size is its largest position: one index probe, no count.
    private const string MyRow = """
        SELECT r.points,
               r.grid_id, r.grid_rank, r.grid_position,
               (SELECT MAX(o.grid_position) FROM member_ranks o WHERE o.run_id = r.run_id AND o.grid_id = r.grid_id) AS grid_ranked,
               r.village_id, r.village_rank, r.village_position,
               (SELECT MAX(o.village_position) FROM member_ranks o WHERE o.run_id = r.run_id AND o.village_id = r.village_id) AS village_ranked,
               r.sub_district_id, r.sub_district_rank, r.sub_district_position,
               (SELECT MAX(o.sub_district_position) FROM member_ranks o WHERE o.run_id = r.run_id AND o.sub_district_id = r.sub_district_id) AS sub_district_ranked
          FROM member_ranks r
          JOIN members m ON m.id = r.member_id
         WHERE r.run_id = @runId AND m.user_id = @callerId
        """;

    private const string History = """
        SELECT q.quarter, CASE q.status WHEN 'Final' THEN 'Final' ELSE 'Provisional' END AS status,
               r.points, r.grid_rank, r.village_rank, r.sub_district_rank
          FROM ranking_quarters q
          JOIN member_ranks r ON r.run_id = q.current_run
          JOIN members m ON m.id = r.member_id
         WHERE m.user_id = @callerId
         ORDER BY q.quarter DESC
        """;

    internal sealed class EntryRow
    {
        public int Rank { get; init; }
        public int Position { get; init; }
        public long MemberId { get; init; }
        public string? RealName { get; init; }
        public int Points { get; init; }
        public string? MemberNumber { get; init; }
        public string GridName { get; init; } = "";
    }

    internal sealed record QuarterRow(string Status, DateTime ComputedAt, long CurrentRun);

    private sealed record MyRankRow(
        int Points,
        long GridId, int GridRank, int GridPosition, int GridRanked,
        long VillageId, int VillageRank, int VillagePosition, int VillageRanked,
        long SubDistrictId, int SubDistrictRank, int SubDistrictPosition, int SubDistrictRanked);

    private sealed record HistoryRow(string Quarter, string Status, int Points, int GridRank, int VillageRank, int SubDistrictRank);

    /// <summary>A scope's entries from one position to another, in order.</summary>
    internal static string EntriesOf(RankingScope scope) => scope switch
    {
        RankingScope.Grid => GridEntries,
        RankingScope.Village => VillageEntries,
        _ => SubDistrictEntries,
    };

    public static async Task<Results<Ok<RankingView>, ValidationProblem, ProblemHttpResult>> GetRanking(
        [Quarter] string quarter, RankingScope scope, long scopeId, MySqlDataSource db, CancellationToken ct, [InRange(1, MaxTop)] int top = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var header = await connection.QuerySingleOrDefaultAsync<QuarterRow>(new CommandDefinition(QuarterHeader, new { quarter }, cancellationToken: ct));
        if (header is null)
        {
            return Problems.NotFound("rankings.ranking.notYet", quarter);
        }
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(EntriesOf(scope),
            new { runId = header.CurrentRun, scopeId, from = 1, to = top }, cancellationToken: ct));
        return TypedResults.Ok(new RankingView(quarter, header.Status, scope, scopeId, header.ComputedAt, rows.Select(ToEntry).ToList()));
    }

    public static async Task<Results<Ok<MyRanking>, ValidationProblem, ProblemHttpResult>> GetMyRanking(
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, [Quarter] string? quarter = null)
    {
        quarter ??= Quarter.Current(time).ToString();
        await using var connection = await db.OpenConnectionAsync(ct);
        var header = await connection.QuerySingleOrDefaultAsync<QuarterRow>(new CommandDefinition(QuarterHeader, new { quarter }, cancellationToken: ct));
        var mine = header is null ? null : await connection.QuerySingleOrDefaultAsync<MyRankRow>(
            new CommandDefinition(MyRow, new { runId = header.CurrentRun, callerId = http.User.UserId() }, cancellationToken: ct));
        if (header is null || mine is null)
        {
            return Problems.NotFound("rankings.ranking.notRanked", quarter);
        }
        var standings = new List<MyStanding>();
        foreach (var (scope, scopeId, rank, position, ranked) in new (RankingScope, long, int, int, int)[]
        {
            (RankingScope.Grid, mine.GridId, mine.GridRank, mine.GridPosition, mine.GridRanked),
            (RankingScope.Village, mine.VillageId, mine.VillageRank, mine.VillagePosition, mine.VillageRanked),
            (RankingScope.SubDistrict, mine.SubDistrictId, mine.SubDistrictRank, mine.SubDistrictPosition, mine.SubDistrictRanked),
        })
        {
            var around = await connection.QueryAsync<EntryRow>(new CommandDefinition(EntriesOf(scope),
                new { runId = header.CurrentRun, scopeId, from = position - 1, to = position + 1 }, cancellationToken: ct));
            standings.Add(new MyStanding(scope, scopeId, rank, mine.Points, ranked, around.Select(ToEntry).ToList()));
        }
        return TypedResults.Ok(new MyRanking(quarter, header.Status, standings));
    }

    public static async Task<Ok<IReadOnlyList<RankHistoryEntry>>> GetMyRankHistory(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(History, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<RankHistoryEntry>>(rows.SelectMany(r => new[]
        {
            new RankHistoryEntry(r.Quarter, r.Status, RankingScope.Grid, r.GridRank, r.Points),
            new RankHistoryEntry(r.Quarter, r.Status, RankingScope.Village, r.VillageRank, r.Points),
            new RankHistoryEntry(r.Quarter, r.Status, RankingScope.SubDistrict, r.SubDistrictRank, r.Points),
        }).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RecomputeRankings(
        HttpContext http, MySqlDataSource db, RankingsJob job, CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (!await UnitAccess.IsSubDistrictAdminAnywhereAsync(connection, http.User.UserId(), ct))
            {
                return Problems.Forbidden("rankings.recompute.notSubDistrictAdmin");
            }
        }
        await job.RunAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Rankings are public inside the app, so names show only their first character.</summary>
    private static RankingEntry ToEntry(EntryRow row) =>
        new(row.Rank, row.Position, row.MemberId, Members.MemberNames.Masked(row.RealName), row.Points);
}
