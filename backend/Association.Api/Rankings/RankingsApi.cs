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

    public static IEndpointRouteBuilder MapRankingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/rankings").WithTags("Rankings").RequireAuthorization();

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

        return app;
    }

    private const string EntryColumns = """
        SELECT r.rank_no AS `rank`, r.position, r.member_id, m.real_name, r.points
          FROM ranking_quarters q
          JOIN member_rankings r ON r.run_id = q.current_run
          JOIN members m ON m.id = r.member_id
        """;

    private const string Top = EntryColumns + """
         WHERE q.quarter = @quarter AND r.scope_kind = @scope AND r.scope_id = @scopeId AND r.position <= @top
         ORDER BY r.position
        """;

    private const string Around = EntryColumns + """
         WHERE q.quarter = @quarter AND r.scope_kind = @scope AND r.scope_id = @scopeId AND r.position BETWEEN @from AND @to
         ORDER BY r.position
        """;

    private const string Quarter = "SELECT status, computed_at FROM ranking_quarters WHERE quarter = @quarter";

    private const string MyRows = """
        SELECT r.scope_kind, r.scope_id, r.rank_no, r.points, r.position,
               (SELECT COUNT(*) FROM member_rankings o WHERE o.run_id = r.run_id AND o.scope_kind = r.scope_kind AND o.scope_id = r.scope_id) AS ranked
          FROM ranking_quarters q
          JOIN member_rankings r ON r.run_id = q.current_run
          JOIN members m ON m.id = r.member_id
         WHERE q.quarter = @quarter AND m.user_id = @callerId
        """;

    private const string History = """
        SELECT q.quarter, q.status, r.scope_kind, r.rank_no, r.points
          FROM ranking_quarters q
          JOIN member_rankings r ON r.run_id = q.current_run
          JOIN members m ON m.id = r.member_id
         WHERE m.user_id = @callerId
         ORDER BY q.quarter DESC, FIELD(r.scope_kind, 'Grid', 'Village', 'SubDistrict')
        """;

    private const string IsSubDistrictAdmin = "SELECT COUNT(*) FROM role_assignments WHERE user_id = @callerId AND role = 'SubDistrictAdmin'";

    private sealed record EntryRow(int Rank, int Position, long MemberId, string? RealName, int Points);

    private sealed record QuarterRow(string Status, DateTime ComputedAt);

    private sealed record MyRow(string ScopeKind, long ScopeId, int RankNo, int Points, int Position, long Ranked);

    private sealed record HistoryRow(string Quarter, string Status, string ScopeKind, int RankNo, int Points);

    public static async Task<Results<Ok<RankingView>, ValidationProblem, ProblemHttpResult>> GetRanking(
        string quarter, RankingScope scope, long scopeId, MySqlDataSource db, CancellationToken ct, int top = 20)
    {
        if (!Quarters.IsValid(quarter))
        {
            return Problems.Invalid("quarter", "A quarter like 2026Q4.");
        }
        if (top is < 1 or > MaxTop)
        {
            return Problems.Invalid("top", $"From 1 to {MaxTop}.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var header = await connection.QuerySingleOrDefaultAsync<QuarterRow>(new CommandDefinition(Quarter, new { quarter }, cancellationToken: ct));
        if (header is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No ranking for {quarter} yet.");
        }
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(Top, new { quarter, scope = scope.ToString(), scopeId, top }, cancellationToken: ct));
        return TypedResults.Ok(new RankingView(quarter, header.Status, scope, scopeId, header.ComputedAt, rows.Select(ToEntry).ToList()));
    }

    public static async Task<Results<Ok<MyRanking>, ValidationProblem, ProblemHttpResult>> GetMyRanking(
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, string? quarter = null)
    {
        quarter ??= ChinaTime.QuarterOf(time.Today());
        if (!Quarters.IsValid(quarter))
        {
            return Problems.Invalid("quarter", "A quarter like 2026Q4.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var header = await connection.QuerySingleOrDefaultAsync<QuarterRow>(new CommandDefinition(Quarter, new { quarter }, cancellationToken: ct));
        var mine = (await connection.QueryAsync<MyRow>(new CommandDefinition(MyRows, new { quarter, callerId = http.User.UserId() }, cancellationToken: ct))).ToList();
        if (header is null || mine.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"You are not in the ranking of {quarter}.");
        }
        var standings = new List<MyStanding>();
        foreach (var row in mine.OrderBy(r => Enum.Parse<RankingScope>(r.ScopeKind)))
        {
            var around = await connection.QueryAsync<EntryRow>(new CommandDefinition(Around,
                new { quarter, scope = row.ScopeKind, row.ScopeId, from = row.Position - 1, to = row.Position + 1 }, cancellationToken: ct));
            standings.Add(new MyStanding(Enum.Parse<RankingScope>(row.ScopeKind), row.ScopeId, row.RankNo, row.Points, row.Ranked, around.Select(ToEntry).ToList()));
        }
        return TypedResults.Ok(new MyRanking(quarter, header.Status, standings));
    }

    public static async Task<Ok<IReadOnlyList<RankHistoryEntry>>> GetMyRankHistory(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(History, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<RankHistoryEntry>>(rows.Select(r =>
            new RankHistoryEntry(r.Quarter, r.Status, Enum.Parse<RankingScope>(r.ScopeKind), r.RankNo, r.Points)).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RecomputeRankings(
        HttpContext http, MySqlDataSource db, RankingsJob job, CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(IsSubDistrictAdmin, new { callerId = http.User.UserId() }, cancellationToken: ct)) == 0)
            {
                return Problems.Forbidden("Rankings are recomputed on demand by a SubDistrictAdmin.");
            }
        }
        await job.RunAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Rankings are public inside the app, so names show only their first character.</summary>
    private static RankingEntry ToEntry(EntryRow row) =>
        new(row.Rank, row.Position, row.MemberId, Members.MemberNames.Masked(row.RealName), row.Points);
}
