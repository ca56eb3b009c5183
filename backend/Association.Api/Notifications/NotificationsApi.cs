using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Notifications;

/// <summary>The caller's own inbox. Every statement names the caller: another user's notification is simply not found.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("", ListNotifications)
            .WithSummary("My notifications, newest first, with the number unread")
            .ProducesValidationProblem();
        api.MapGet("/unread-count", CountUnread)
            .WithSummary("How many of my notifications are unread (cheap: for a badge on every app start)")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPost("/{id}/read", MarkRead)
            .WithSummary("Mark one of my notifications read")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/read-all", MarkAllRead)
            .WithSummary("Mark all my notifications read")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    private const string Columns = "SELECT id, kind, title, body, subject_path, created_at, read_at FROM notifications";

    private const string Page = Columns + """

         WHERE user_id = @callerId AND (@unreadOnly = FALSE OR read_at IS NULL)
         ORDER BY id DESC
         LIMIT @limit OFFSET @offset
        """;

    private const string Unread = "SELECT COUNT(*) FROM notifications WHERE user_id = @callerId AND read_at IS NULL";

    private const string ReadOne = """
        UPDATE notifications SET read_at = COALESCE(read_at, @now) WHERE id = @id AND user_id = @callerId;
        """ + Columns + " WHERE id = @id AND user_id = @callerId";

    private const string ReadAll = "UPDATE notifications SET read_at = @now WHERE user_id = @callerId AND read_at IS NULL";

    private sealed record Row(long Id, string Kind, string Title, string Body, string? SubjectPath, DateTime CreatedAt, DateTime? ReadAt)
    {
        public NotificationView ToView() => new(Id, Enum.Parse<NotificationKind>(Kind), Title, Body, SubjectPath, CreatedAt, ReadAt);
    }

    public static async Task<Results<Ok<Inbox>, ValidationProblem>> ListNotifications(HttpContext http, MySqlDataSource db, CancellationToken ct,
        bool unreadOnly = false, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Page,
            new { callerId, unreadOnly, limit = pageSize, offset = (page - 1) * pageSize }, cancellationToken: ct));
        var unread = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Unread, new { callerId }, cancellationToken: ct));
        return TypedResults.Ok(new Inbox(unread, rows.Select(r => r.ToView()).ToList()));
    }

    public static async Task<Ok<UnreadCount>> CountUnread(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(new UnreadCount(await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(Unread, new { callerId = http.User.UserId() }, cancellationToken: ct))));
    }

    public static async Task<Results<Ok<NotificationView>, ProblemHttpResult>> MarkRead(long id, HttpContext http, MySqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(ReadOne,
            new { id, callerId = http.User.UserId(), now = time.DbUtcNow() }, cancellationToken: ct));
        return row is null ? Problems.NotFound("notifications.notFound") : TypedResults.Ok(row.ToView());
    }

    public static async Task<Ok<MarkedRead>> MarkAllRead(HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(new MarkedRead(await connection.ExecuteAsync(new CommandDefinition(ReadAll,
            new { callerId = http.User.UserId(), now = time.DbUtcNow() }, cancellationToken: ct))));
    }
}
