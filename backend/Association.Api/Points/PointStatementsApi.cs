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

    internal const string EntryColumns = """
        SELECT e.id, e.member_id, e.entry_kind, e.points, e.requested_points, e.rule_id, r.version AS rule_version, e.work_kind,
               e.source_kind, e.source_id, e.reverses_entry_id, e.quarter, e.reason, e.caused_by, e.created_at
          FROM point_entries e
          LEFT JOIN point_rules r ON r.id = e.rule_id
        """;

    private const string EntryById = EntryColumns + " WHERE e.id = @id";

    private const string EntriesPage = EntryColumns + " WHERE e.member_id = @memberId ORDER BY e.id DESC LIMIT @limit OFFSET @offset";

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

    internal sealed class EntryRow
    {
        public long Id { get; init; }
        public long MemberId { get; init; }
        public string EntryKind { get; init; } = "";
        public int Points { get; init; }
        public int? RequestedPoints { get; init; }
        public long? RuleId { get; init; }
        public int? RuleVersion { get; init; }
        public string? WorkKind { get; init; }
        public string? SourceKind { get; init; }
        public long? SourceId { get; init; }
        public long? ReversesEntryId { get; init; }
        public string Quarter { get; init; } = "";
        public string? Reason { get; init; }
        public long? CausedBy { get; init; }
        public DateTime CreatedAt { get; init; }

        public PointEntry ToEntry() => new(Id, MemberId, Enum.Parse<EntryKind>(EntryKind), Points, RequestedPoints, RuleId, RuleVersion,
            WorkKind is null ? null : Enum.Parse<WorkKind>(WorkKind), SourceKind, SourceId, ReversesEntryId, Quarter, Reason, CausedBy, CreatedAt);
    }

    private sealed record PeriodRow(string Period, long Points);

    public static async Task<Results<Ok<PointStatement>, ValidationProblem, ProblemHttpResult>> GetMyPointStatement(
        HttpContext http, MySqlDataSource db, CancellationToken ct, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var memberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MyMember, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return memberId is null
            ? Problems.NotAMember()
            : TypedResults.Ok(await StatementAsync(connection, memberId.Value, page, pageSize, ct));
    }

    public static async Task<Results<Ok<PointStatement>, ValidationProblem, ProblemHttpResult>> GetMemberPointStatement(
        long memberId, HttpContext http, MySqlDataSource db, CancellationToken ct, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var member = await connection.QuerySingleOrDefaultAsync<PointsApi.MemberAccessRow>(
            new CommandDefinition(PointsApi.MemberAccess, new { memberId, callerId }, cancellationToken: ct));
        if (member is null || !(member.Sees || member.UserId == callerId))
        {
            return Problems.NotFound("member", memberId);
        }
        return TypedResults.Ok(await StatementAsync(connection, memberId, page, pageSize, ct));
    }

    internal static async Task<PointEntry> ReadEntryAsync(MySqlConnection connection, long id, CancellationToken ct) =>
        (await connection.QuerySingleAsync<EntryRow>(new CommandDefinition(EntryById, new { id }, cancellationToken: ct))).ToEntry();

    private static async Task<PointStatement> StatementAsync(MySqlConnection connection, long memberId, int page, int pageSize, CancellationToken ct)
    {
        var balance = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Balance, new { memberId }, cancellationToken: ct)) ?? 0;
        var periods = await connection.QueryAsync<PeriodRow>(new CommandDefinition(Periods, new { memberId }, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(EntryCount, new { memberId }, cancellationToken: ct));
        var entries = await connection.QueryAsync<EntryRow>(new CommandDefinition(EntriesPage,
            new { memberId, limit = pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct));
        return new PointStatement(
            new PointTotals(memberId, balance, periods.Select(p => new PeriodPoints(p.Period, checked((int)p.Points))).ToList()),
            entries.Select(e => e.ToEntry()).ToList(), page, pageSize, total);
    }
}
