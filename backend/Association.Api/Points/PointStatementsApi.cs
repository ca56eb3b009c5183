using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>Reading the ledger: a member's totals and entries, for the member and for leaders and admins in scope.</summary>
public static class PointStatementsApi
{
    public static RouteGroupBuilder MapPointStatementsApi(this RouteGroupBuilder api)
    {

        api.MapGet("/me", GetMyPointStatement)
            .WithSummary("My balance, points per quarter and year, and my entries, newest first")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/members/{memberId}", GetMemberPointStatement)
            .WithSummary("A member's balance, period totals and entries (leaders and admins of the member's grid)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string EntriesPage = PointEntries.Columns + " WHERE e.member_id = @memberId ORDER BY e.id DESC LIMIT @limit OFFSET @offset";

    private const string EntryCount = "SELECT COUNT(*) FROM point_entries WHERE member_id = @memberId";

    private const string Balance = "SELECT balance FROM member_point_totals WHERE member_id = @memberId";

    // Quarters are kept; a year is the sum of its quarters.
    private const string Periods = """
        SELECT period, CAST(points AS SIGNED) AS points FROM member_period_points WHERE member_id = @memberId
        UNION ALL
        SELECT LEFT(period, 4), CAST(SUM(points) AS SIGNED) FROM member_period_points WHERE member_id = @memberId GROUP BY LEFT(period, 4)
        ORDER BY period DESC
        """;

    private const string MyMember = "SELECT id FROM members WHERE user_id = @callerId";

    private sealed record PeriodRow(string Period, long Points);

    public static async Task<Results<Ok<PointStatement>, ValidationProblem, ProblemHttpResult>> GetMyPointStatement(
        HttpContext http, MySqlDataSource db, CancellationToken ct, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var memberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MyMember, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return memberId is null
            ? Problems.NotAMember()
            : TypedResults.Ok(await StatementAsync(connection, memberId.Value, page, pageSize, ct));
    }

    public static async Task<Results<Ok<PointStatement>, ValidationProblem, ProblemHttpResult>> GetMemberPointStatement(
        long memberId, HttpContext http, MySqlDataSource db, CancellationToken ct, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var member = await PointsAccess.ReadMemberAsync(connection, null, memberId, callerId, ct);
        if (member is null || !(member.Sees || member.UserId == callerId))
        {
            return Problems.NotFound("membership.member.notFound");
        }
        return TypedResults.Ok(await StatementAsync(connection, memberId, page, pageSize, ct));
    }

    private static async Task<PointStatement> StatementAsync(MySqlConnection connection, long memberId, int page, int pageSize, CancellationToken ct)
    {
        var balance = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Balance, new { memberId }, cancellationToken: ct)) ?? 0;
        var periods = await connection.QueryAsync<PeriodRow>(new CommandDefinition(Periods, new { memberId }, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(EntryCount, new { memberId }, cancellationToken: ct));
        var entries = await connection.QueryAsync<PointEntries.Row>(new CommandDefinition(EntriesPage,
            new { memberId, limit = pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct));
        return new PointStatement(
            new PointTotals(memberId, balance, periods.Select(p => new PeriodPoints(p.Period, checked((int)p.Points))).ToList()),
            entries.Select(e => e.ToEntry()).ToList(), page, pageSize, total);
    }
}
