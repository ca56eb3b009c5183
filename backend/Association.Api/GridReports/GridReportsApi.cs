using Association.Api.Organisation;
using Association.Api.Photos;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Association.WeChat;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.GridReports;

/// <summary>
/// Reporting a problem in a grid, and reading reports. User text goes through WeChat's content check
/// first: risky text is refused and not stored; "review", or no answer from WeChat, holds the report for
/// the grid leader instead of publishing it.
/// </summary>
public static partial class GridReportsApi
{
    public const int MaxPhotos = 9;

    public static RouteGroupBuilder MapGridReportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", SubmitReport)
            .WithSummary("Report a hazard, dispute, information or an unsafe/uncivil/unhealthy/inconvenient problem in a grid")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return api;
    }

    private const string GridKind = "SELECT kind FROM org_units WHERE id = @gridId";

    private const string Caller = """
        SELECT u.openid, (SELECT m.id FROM members m WHERE m.user_id = u.id AND m.grid_id = @gridId AND m.status = 'Active') AS member_id
          FROM users u WHERE u.id = @callerId
        """;

    private const string InsertReport = """
        INSERT INTO grid_reports (grid_id, reporter_user_id, reporter_member_id, kind, description, location_text, lat, lng, photo_refs,
                                  urgency, status, content_check, deadline_at, created_at, updated_at)
        VALUES (@gridId, @callerId, @memberId, @kind, @description, @locationText, @lat, @lng, @photoRefs,
                @urgency, @status, @contentCheck, @deadlineAt, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    internal const string RecordTransition = """
        INSERT INTO grid_report_transitions (report_id, from_status, to_status, by_user_id, note, at)
        VALUES (@id, @from, @to, @callerId, @note, @now)
        """;

    private sealed class CallerRow
    {
        public string Openid { get; init; } = "";
        public long? MemberId { get; init; }
    }

    public static async Task<Results<Created<GridReportView>, ValidationProblem, ProblemHttpResult>> SubmitReport(
        NewReportRequest request, HttpContext http, MySqlDataSource db, WeChatClient weChat, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(GridKind, new { request.GridId }, cancellationToken: ct)) != nameof(OrgUnitKind.Grid))
        {
            return Problems.Invalid("gridId", "gridReports.grid.notFound");
        }
        if (await PhotoRefs.CheckOwnedAsync(connection, null, callerId, request.PhotoRefs, "photoRefs", ct) is { } notOwned)
        {
            return notOwned;
        }
        var caller = await connection.QuerySingleAsync<CallerRow>(new CommandDefinition(Caller, new { callerId, request.GridId }, cancellationToken: ct));
        var text = request.Description!.Trim() + (request.LocationText is { Length: > 0 } place ? "\n" + place.Trim() : "");
        var (status, contentCheck) = await CheckContentAsync(weChat, caller.Openid, text, loggers.CreateLogger("Association.GridReports"), ct);
        if (contentCheck == "Risky")
        {
            return Problems.Problem(StatusCodes.Status422UnprocessableEntity, "content.refused");
        }

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertReport, new
        {
            request.GridId, callerId, memberId = caller.MemberId, kind = request.Kind.ToString(), description = request.Description!.Trim(),
            locationText = request.LocationText?.Trim(), request.Lat, request.Lng,
            photoRefs = request.PhotoRefs is { Count: > 0 } photos ? string.Join(',', photos) : null,
            urgency = request.Urgency.ToString(), status, contentCheck, deadlineAt = now + ReportWorkflow.Deadline(request.Urgency), now,
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(RecordTransition,
            new { id, from = (string?)null, to = status, callerId, note = contentCheck == "Pass" ? null : ContentCheckNote(contentCheck), now }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/grid-reports/{id}",
            (await GridReportRecordsApi.ReadAsync(connection, id, callerId, ct, transaction))!, ct);
    }

    /// <summary>Submitted when WeChat passes the text; held for a person on "review" or when WeChat cannot answer.</summary>
    private static async Task<(string Status, string ContentCheck)> CheckContentAsync(WeChatClient weChat, string openId, string text, ILogger logger, CancellationToken ct)
    {
        try
        {
            var check = await weChat.CheckTextAsync(openId, text, ContentScene.Forum, ct);
            return check.Verdict switch
            {
                ContentVerdict.Pass => ("Submitted", "Pass"),
                ContentVerdict.Review => ("Held", "Review"),
                _ => ("Held", "Risky"),
            };
        }
        catch (Exception ex) when (ex is WeChatApiException or WeChatUnavailableException)
        {
            LogUnchecked(logger, ex.GetType().Name);
            return ("Held", "Unchecked");
        }
    }

    // The reporter and the leader read this in the report's history.
    private static string ContentCheckNote(string contentCheck) =>
        contentCheck == "Review" ? "内容安全检测：需人工复核" : "内容安全检测：暂未完成，需人工复核";

    [LoggerMessage(LogLevel.Warning, "Content check could not be made ({Reason}); the report is held for a person")]
    private static partial void LogUnchecked(ILogger logger, string reason);
}
