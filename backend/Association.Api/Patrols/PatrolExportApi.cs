using Association.Api.Audit;
using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Xlsx;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>The patrol records of a unit's grids for a period as a sheet (standard 2: grids patrol regularly), streamed and audited.</summary>
public static class PatrolExportApi
{
    public static RouteGroupBuilder MapPatrolExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/export", ExportPatrols)
            .WithSummary("Patrols started in a unit's grids from one China day to another (at most a year) as .xlsx: who, when, how long, the review (audited)")
            .Produces(StatusCodes.Status200OK, contentType: XlsxWorkbook.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private const string Patrols = """
        SELECT p.id, g.name AS grid_name, p.status, p.started_at, p.finished_at, p.flags, p.decided_by, dm.real_name AS decided_by_name,
               p.decided_at, p.decision_reason, sm.member_number AS starter_number, sm.real_name AS starter_name,
               (SELECT GROUP_CONCAT(COALESCE(pmm.real_name, @anonymous) ORDER BY pm.id SEPARATOR '、')
                  FROM patrol_members pm JOIN members pmm ON pmm.id = pm.member_id WHERE pm.patrol_id = p.id) AS participants,
               CAST((SELECT COUNT(*) FROM patrol_members pm WHERE pm.patrol_id = p.id) AS SIGNED) AS participant_count,
               CAST((SELECT COUNT(*) FROM patrol_checkins c WHERE c.patrol_id = p.id AND c.kind = 'CheckIn') AS SIGNED) AS checkins
          FROM org_units target
          JOIN org_units g ON g.kind = 'Grid' AND g.path LIKE CONCAT(target.path, '%')
          JOIN patrols p ON p.grid_id = g.id AND p.started_at >= @from AND p.started_at < @until
          LEFT JOIN members sm ON sm.id = p.started_by
          LEFT JOIN members dm ON dm.user_id = p.decided_by
         WHERE target.id = @unitId AND (@status IS NULL OR p.status = @status) AND
        """ + Scope.Sees + " ORDER BY p.started_at, p.id";

    private sealed class PatrolRow
    {
        public long Id { get; init; }
        public string GridName { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public string? Flags { get; init; }
        public long? DecidedBy { get; init; }
        public string? DecidedByName { get; init; }
        public DateTime? DecidedAt { get; init; }
        public string? DecisionReason { get; init; }
        public string? StarterNumber { get; init; }
        public string? StarterName { get; init; }
        public string? Participants { get; init; }
        public long ParticipantCount { get; init; }
        public long Checkins { get; init; }

        public object?[] Cells() =>
        [
            Id, GridName, Enum.Parse<PatrolStatus>(Status), StartedAt, FinishedAt,
            FinishedAt is { } end ? Math.Round((decimal)(end - StartedAt).TotalHours, 2) : null,
            StarterNumber, StarterName ?? MemberNames.Anonymous, ParticipantCount, Participants, Checkins,
            string.Join("、", (Flags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => EnumLabels.Chinese(Enum.Parse<PatrolFlag>(f)))),
            DecidedAt is null ? null : MemberNames.Actor(DecidedBy, DecidedByName), DecidedAt, DecisionReason,
        ];
    }

    private static readonly XlsxColumn[] Columns =
    [
        new("巡防编号", 10), new("网格", 20), new("状态", 8), new("开始时间", 20), new("结束时间", 20), new("时长（小时）", 12),
        new("发起会员编号", 16), new("发起人", 10), new("参与人数", 9), new("参与会员", 30), new("打卡次数", 9), new("异常提示", 24),
        new("审核人", 10), new("审核时间", 20), new("审核说明", 30),
    ];

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportPatrols(
        long unitId, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, PatrolStatus? status = null)
    {
        if (!DayRange.TryResolve(from, to, time, out var period, out var invalid))
        {
            return invalid!;
        }
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var unitName = await UnitAccess.SeenNameAsync(connection, unitId, callerId, ct);
        if (unitName is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        await using var book = XlsxWorkbook.Create();
        var sheet = book.AddSheet("巡防记录", Columns);
        if (!await sheet.AddAllAsync(connection.QueryUnbufferedAsync<PatrolRow>(Patrols, new
        {
            unitId, callerId, from = period.FromUtc, until = period.UntilUtc, status = status?.ToString(), anonymous = MemberNames.Anonymous,
        }), row => row.Cells(), ct))
        {
            return ExportLimits.TooManyRows();
        }
        return await ExportAudit.SendAsync(book, sheet.Rows, new ExportRecord(ExportKind.Patrols, unitId, period.ToString()),
            $"巡防记录-{unitName}-{period}", connection, callerId, time, ct);
    }
}
