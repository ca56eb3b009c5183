using Association.Api.Members;
using Association.Api.Organisation;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Association.Api.Rankings;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using MySqlConnector;

namespace Association.Api.Awards;

/// <summary>
/// Yearly award candidates (评先评优): by the sub-district's criteria, the best members of each grid or
/// village by the year's points, never anyone suspended during the year. Admins confirm the awarded list
/// and export it.
/// </summary>
public static class AwardsApi
{
    public static RouteGroupBuilder MapAwardsApi(this RouteGroupBuilder api)
    {

        api.MapGet("/rules/{subDistrictId}/{year}", GetAwardRules)
            .WithSummary("The year's award criteria of a sub-district, for everyone signed in")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/rules/{subDistrictId}/{year}", SetAwardRule)
            .WithSummary("Set the year's award criteria for a sub-district (SubDistrictAdmin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{year}/candidates", ListAwardCandidates)
            .WithSummary("Candidates for the year's awards in the caller's units, by the criteria")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{year}/confirm", ConfirmAwards)
            .WithSummary("Confirm candidates as awarded (admins of their grid's village or sub-district)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/{year}/export", ExportAwards)
            .WithSummary("The confirmed award list of the caller's units as .xlsx")
            .Produces(StatusCodes.Status200OK, contentType: MemberExport.ContentType)
            .ProducesValidationProblem();

        return api;
    }

    private const string SubDistrictExists = "SELECT COUNT(*) FROM org_units WHERE id = @subDistrictId AND kind = 'SubDistrict'";

    private const string RulesOf = """
        SELECT scope_kind, mode, mode_value, minimum_points FROM award_rules
         WHERE sub_district_id = @subDistrictId AND year = @year ORDER BY scope_kind
        """;

    private sealed record RuleRow(string ScopeKind, string Mode, int ModeValue, int MinimumPoints);

    private const string UpsertRule = """
        INSERT INTO award_rules (sub_district_id, year, scope_kind, mode, mode_value, minimum_points, set_by, set_at)
        VALUES (@subDistrictId, @year, @scope, @mode, @value, @minimumPoints, @callerId, @now)
        ON DUPLICATE KEY UPDATE scope_kind = VALUES(scope_kind), mode = VALUES(mode), mode_value = VALUES(mode_value),
                                minimum_points = VALUES(minimum_points), set_by = VALUES(set_by), set_at = VALUES(set_at)
        """;

    // Rank members of each grid or village by the year's points (the scope the rule names), then keep the
    // rule's share of each; suspended-in-the-year and inactive members are out before ranking.
    private const string Candidates = """
        SELECT ranked.member_id, ranked.member_number, ranked.real_name, ranked.scope_kind, ranked.scope_id, ranked.scope_name,
               ranked.points, ranked.rank_no, (c.member_id IS NOT NULL) AS confirmed
          FROM (SELECT m.id AS member_id, m.member_number, m.real_name, r.scope_kind, su.id AS scope_id, su.name AS scope_name,
                       pp.points, r.mode, r.mode_value, r.minimum_points,
                       RANK() OVER (PARTITION BY su.id ORDER BY pp.points DESC) AS rank_no,
                       COUNT(*) OVER (PARTITION BY su.id) AS ranked_count
                  FROM members m
                  JOIN (SELECT q.member_id, SUM(q.points) AS points FROM member_period_points q
                         WHERE q.period BETWEEN CONCAT(@yearText, 'Q1') AND CONCAT(@yearText, 'Q4') GROUP BY q.member_id) pp ON pp.member_id = m.id
                  JOIN org_units g ON g.id = m.grid_id
                  JOIN org_units v ON v.id = g.parent_id
                  JOIN award_rules r ON r.sub_district_id = v.parent_id AND r.year = @year
                  JOIN org_units su ON su.id = CASE WHEN r.scope_kind = 'Grid' THEN g.id ELSE v.id END
                 WHERE m.status = 'Active'
                   AND NOT EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = m.id AND e.kind = 'Suspended'
                                      AND e.at >= @yearStart AND e.at < @yearEnd)) ranked
          JOIN org_units target ON target.id = ranked.scope_id
          LEFT JOIN award_confirmations c ON c.year = @year AND c.member_id = ranked.member_id
         WHERE ranked.points >= ranked.minimum_points
           AND ((ranked.mode = 'TopN' AND ranked.rank_no <= ranked.mode_value)
             OR (ranked.mode = 'TopPercent' AND ranked.rank_no <= CEIL(ranked.ranked_count * ranked.mode_value / 100)))
           AND
        """ + Scope.Sees + " ORDER BY ranked.scope_id, ranked.rank_no, ranked.member_id";

    private const string Confirm = """
        INSERT INTO award_confirmations (year, member_id, scope_kind, scope_id, points, confirmed_by, confirmed_at)
        VALUES (@year, @memberId, @scopeKind, @scopeId, @points, @callerId, @now)
        ON DUPLICATE KEY UPDATE award_confirmations.year = award_confirmations.year
        """;

    private const string AdministersScope = "SELECT (" + Scope.Administers + ") FROM org_units target WHERE target.id = @scopeId";

    private sealed class CandidateRow
    {
        public long MemberId { get; init; }
        public string? MemberNumber { get; init; }
        public string? RealName { get; init; }
        public string ScopeKind { get; init; } = "";
        public long ScopeId { get; init; }
        public string ScopeName { get; init; } = "";
        public int Points { get; init; }
        public long RankNo { get; init; }
        public bool Confirmed { get; init; }

        public AwardCandidate ToCandidate() => new(MemberId, MemberNumber, RealName, Enum.Parse<RankingScope>(ScopeKind), ScopeId, ScopeName, Points, (int)RankNo, Confirmed);
    }

    public static async Task<Results<Ok<IReadOnlyList<AwardRule>>, ValidationProblem, ProblemHttpResult>> GetAwardRules(
        long subDistrictId, [Year] int year, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrictExists, new { subDistrictId }, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("org.subDistrict.notFound");
        }
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition(RulesOf, new { subDistrictId, year }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<AwardRule>>(rows.Select(r =>
            new AwardRule(year, Enum.Parse<RankingScope>(r.ScopeKind), Enum.Parse<AwardMode>(r.Mode), r.ModeValue, r.MinimumPoints)).ToList());
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetAwardRule(
        long subDistrictId, [Year] int year, AwardRuleRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var access = await UnitAccess.ReadAsync(connection, null, subDistrictId, callerId, ct);
        if (access is null || access.Kind != nameof(OrgUnitKind.SubDistrict))
        {
            return Problems.NotFound("org.subDistrict.notFound");
        }
        if (!access.SubDistrictAdmin)
        {
            return Problems.Forbidden("awards.rule.notAdmin");
        }
        await connection.ExecuteAsync(new CommandDefinition(UpsertRule, new
        {
            subDistrictId, year, scope = request.Scope.ToString(), mode = request.Mode.ToString(), value = request.Value, request.MinimumPoints,
            callerId, now = time.DbUtcNow(),
        }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<AwardCandidate>>, ValidationProblem>> ListAwardCandidates([Year] int year, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok<IReadOnlyList<AwardCandidate>>((await CandidatesAsync(connection, year, http.User.UserId(), ct)).Select(c => c.ToCandidate()).ToList());
    }

    public static async Task<Results<Ok<IReadOnlyList<AwardCandidate>>, ValidationProblem, ProblemHttpResult>> ConfirmAwards([Year] int year, ConfirmAwardsRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var ids = request.MemberIds!.Distinct().ToList();
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var candidates = (await CandidatesAsync(connection, year, callerId, ct, transaction)).ToDictionary(c => c.MemberId);
        var notCandidates = ids.Where(id => !candidates.ContainsKey(id)).ToList();
        if (notCandidates.Count > 0)
        {
            return Problems.Invalid("memberIds", "awards.members.notCandidates", string.Join("、", notCandidates.Take(20)));
        }
        foreach (var id in ids)
        {
            var candidate = candidates[id];
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(AdministersScope, new { scopeId = candidate.ScopeId, callerId }, transaction, cancellationToken: ct)))
            {
                return Problems.Forbidden("awards.confirm.notAdmin");
            }
            await connection.ExecuteAsync(new CommandDefinition(Confirm, new
            {
                year, memberId = id, scopeKind = candidate.ScopeKind, candidate.ScopeId, candidate.Points, callerId, now,
            }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok<IReadOnlyList<AwardCandidate>>((await CandidatesAsync(connection, year, callerId, ct)).Where(c => c.Confirmed).Select(c => c.ToCandidate()).ToList());
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportAwards([Year] int year, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await CandidatesAsync(connection, year, http.User.UserId(), ct)).Where(c => c.Confirmed).Select(c => new Dictionary<string, object?>
        {
            ["年度"] = year,
            ["会员编号"] = c.MemberNumber,
            ["姓名"] = c.RealName,
            ["单位"] = c.ScopeName,
            ["年度积分"] = c.Points,
            ["排名"] = c.RankNo,
        }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        return TypedResults.File(stream.ToArray(), MemberExport.ContentType, $"awards-{year}.xlsx");
    }

    private static async Task<List<CandidateRow>> CandidatesAsync(MySqlConnection connection, int year, long callerId, CancellationToken ct, MySqlTransaction? transaction = null) =>
        (await connection.QueryAsync<CandidateRow>(new CommandDefinition(Candidates, new
        {
            year, yearText = year.ToString(System.Globalization.CultureInfo.InvariantCulture), callerId,
            yearStart = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(-8),
            yearEnd = new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(-8),
        }, transaction, cancellationToken: ct))).ToList();

}
