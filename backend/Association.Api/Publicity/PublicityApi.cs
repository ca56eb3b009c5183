using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Association.Api.Points;
using Association.WeChat;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Publicity;

/// <summary>Members record publicity work; a leader or admin of their grid marks it published, which awards the points.</summary>
public static class PublicityApi
{
    public static RouteGroupBuilder MapPublicityApi(this RouteGroupBuilder api)
    {

        api.MapPost("", RecordPublicity)
            .WithSummary("Record a publicity event held or an article submitted to 平安天心V or other media")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/feed", ListPublishedPublicity)
            .WithSummary("Published publicity of the association, newest first, for everyone signed in (authors' names masked)")
            .ProducesValidationProblem();
        api.MapGet("", ListPublicity)
            .WithSummary("Publicity work of the caller's grids, or the caller's own")
            .ProducesValidationProblem();
        api.MapPost("/{id}/publish", PublishPublicity)
            .WithSummary("Mark publicity work as published; the member earns points")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/reject", RejectPublicity)
            .WithSummary("Reject publicity work with a reason")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private const string Columns = """
        SELECT w.id, w.member_id, w.grid_id, w.kind, w.title, w.outlet, w.link, w.happened_on, w.description, w.status, w.reason, w.created_at
          FROM publicity_works w
          JOIN org_units target ON target.id = w.grid_id
        """;

    private const string Own = "EXISTS (SELECT 1 FROM members own WHERE own.id = w.member_id AND own.user_id = @callerId)";

    private const string ById = Columns + " WHERE w.id = @id";

    private const string Page = Columns + """
         WHERE (@gridId IS NULL OR w.grid_id = @gridId) AND (@status IS NULL OR w.status = @status) AND (
        """ + Own + " OR " + Scope.Sees + ") ORDER BY w.id DESC LIMIT @limit OFFSET @offset";

    private const string Published = """
        SELECT w.id, w.kind, w.title, w.outlet, w.link, w.happened_on, w.description, w.grid_id, g.name AS grid_name, m.real_name
          FROM publicity_works w
          JOIN org_units g ON g.id = w.grid_id
          JOIN members m ON m.id = w.member_id
         WHERE w.status = 'Published'
         ORDER BY w.happened_on DESC, w.id DESC
         LIMIT @limit OFFSET @offset
        """;

    private sealed record PublishedRow(long Id, string Kind, string Title, string? Outlet, string? Link, DateTime HappenedOn, string? Description,
        long GridId, string GridName, string? RealName)
    {
        public PublishedPublicity ToView() => new(Id, Enum.Parse<PublicityKind>(Kind), Title, Outlet, Link, DateOnly.FromDateTime(HappenedOn),
            Description, GridId, GridName, MemberNames.Masked(RealName));
    }

    private const string Me = "SELECT m.id, m.grid_id, m.status, u.openid FROM members m JOIN users u ON u.id = m.user_id WHERE m.user_id = @callerId";

    private const string Insert = """
        INSERT INTO publicity_works (member_id, grid_id, kind, title, outlet, link, happened_on, description, status, created_at)
        VALUES (@memberId, @gridId, @kind, @title, @outlet, @link, @happenedOn, @description, 'Submitted', @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Lock = """
        SELECT w.id, w.member_id, w.status, w.happened_on, (
        """ + Own + ") AS own, (" + Scope.Sees + """
        ) AS allowed
          FROM publicity_works w
          JOIN org_units target ON target.id = w.grid_id
         WHERE w.id = @id
           FOR UPDATE
        """;

    private const string Decide = "UPDATE publicity_works SET status = @status, decided_by = @callerId, decided_at = @now, reason = @reason WHERE id = @id";

    private sealed class Row
    {
        public long Id { get; init; }
        public long MemberId { get; init; }
        public long GridId { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Outlet { get; init; }
        public string? Link { get; init; }
        public DateTime HappenedOn { get; init; }
        public string? Description { get; init; }
        public string Status { get; init; } = "";
        public string? Reason { get; init; }
        public DateTime CreatedAt { get; init; }

        public PublicityView ToView() => new(Id, MemberId, GridId, Enum.Parse<PublicityKind>(Kind), Title, Outlet, Link,
            DateOnly.FromDateTime(HappenedOn), Description, Enum.Parse<PublicityStatus>(Status), Reason, CreatedAt);
    }

    private sealed class MeRow
    {
        public long Id { get; init; }
        public long GridId { get; init; }
        public string Status { get; init; } = "";
        public string Openid { get; init; } = "";
    }

    private sealed class LockRow
    {
        public long Id { get; init; }
        public long MemberId { get; init; }
        public string Status { get; init; } = "";
        public DateTime HappenedOn { get; init; }
        public bool Own { get; init; }
        public bool Allowed { get; init; }
    }

    public static async Task<Results<Created<PublicityView>, ValidationProblem, ProblemHttpResult>> RecordPublicity(
        NewPublicityRequest request, HttpContext http, MySqlDataSource db, WeChatClient weChat, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var me = await connection.QuerySingleOrDefaultAsync<MeRow>(new CommandDefinition(Me, new { callerId }, cancellationToken: ct));
        if (me is null || me.Status != nameof(MemberStatus.Active))
        {
            return Problems.Forbidden("publicity.member.notActive");
        }
        // Only risky text is refused here: every record is read by a leader before it is published anyway.
        try
        {
            var check = await weChat.CheckTextAsync(me.Openid, $"{request.Title}\n{request.Description}", ContentScene.Forum, ct);
            if (check.Verdict == ContentVerdict.Risky)
            {
                return Problems.Problem(StatusCodes.Status422UnprocessableEntity, "content.refused");
            }
        }
        catch (Exception ex) when (ex is WeChatApiException or WeChatUnavailableException)
        {
            // Unchecked text stays unpublished until a leader reads it, which publication requires anyway.
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            memberId = me.Id, gridId = me.GridId, kind = request.Kind.ToString(), title = request.Title!.Trim(), outlet = request.Outlet?.Trim(),
            link = request.Link?.Trim(), happenedOn = request.HappenedOn.ToDateTime(TimeOnly.MinValue), description = request.Description?.Trim(),
            now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(ById, new { id }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/publicity/{id}", row.ToView(), ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<PublishedPublicity>>, ValidationProblem>> ListPublishedPublicity(
        MySqlDataSource db, CancellationToken ct, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PublishedRow>(new CommandDefinition(Published, new { limit = pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<PublishedPublicity>>(rows.Select(r => r.ToView()).ToList());
    }

    public static async Task<Results<Ok<IReadOnlyList<PublicityView>>, ValidationProblem>> ListPublicity(
        HttpContext http, MySqlDataSource db, CancellationToken ct, long? gridId = null, PublicityStatus? status = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Page, new
        {
            callerId = http.User.UserId(), gridId, status = status?.ToString(), limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<PublicityView>>(rows.Select(r => r.ToView()).ToList());
    }

    public static async Task<Results<Ok<PublicityView>, ValidationProblem, ProblemHttpResult>> PublishPublicity(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        await DecideAsync(id, PublicityStatus.Published, null, http, db, time, ct);

    public static async Task<Results<Ok<PublicityView>, ValidationProblem, ProblemHttpResult>> RejectPublicity(
        long id, ReasonRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        await DecideAsync(id, PublicityStatus.Rejected, request.Reason!.Trim(), http, db, time, ct);

    private static async Task<Results<Ok<PublicityView>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        long id, PublicityStatus to, string? reason, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var work = await connection.QuerySingleOrDefaultAsync<LockRow>(new CommandDefinition(Lock, new { id, callerId }, transaction, cancellationToken: ct));
        if (work is null || !work.Allowed)
        {
            return Problems.NotFound("publicity.work.notFound");
        }
        if (work.Own)
        {
            return Problems.Forbidden("publicity.review.own");
        }
        if (work.Status != nameof(PublicityStatus.Submitted))
        {
            return Problems.Conflict("publicity.work.decided", Enum.Parse<PublicityStatus>(work.Status));
        }
        await connection.ExecuteAsync(new CommandDefinition(Decide, new { id, status = to.ToString(), callerId, now, reason }, transaction, cancellationToken: ct));
        if (to == PublicityStatus.Published)
        {
            var happened = new DateTimeOffset(DateTime.SpecifyKind(work.HappenedOn, DateTimeKind.Unspecified).AddHours(12), ChinaTime.Offset);
            await PointsLedger.AwardAsync(connection, transaction, work.MemberId, WorkKind.PublicityPublished, AwardSourceKind.Publicity, id, 1, happened, callerId, now, ct);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok((await connection.QuerySingleAsync<Row>(new CommandDefinition(ById, new { id }, cancellationToken: ct))).ToView());
    }
}
