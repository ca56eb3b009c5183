using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.AdminConsole;

/// <summary>
/// Sign-in by scanning (扫码登录): the console asks for a one-time ticket (two minutes by default, single use) shown as a QR code and
/// bound to the asking browser by a cookie; staff confirm it with their mini-program session; the console's poll then
/// exchanges it once for an eight-hour console session in an HttpOnly cookie. Sessions end with sign-out or a role
/// change, as the mini-program's do.
/// </summary>
public static class ConsoleSignInApi
{
    public const string TicketCookie = "assoc_console_ticket";
    private const int PollMilliseconds = 1500;

    public static RouteGroupBuilder MapConsoleSignInApi(this RouteGroupBuilder api)
    {
        api.MapPost("/login-tickets", CreateLoginTicket)
            .WithSummary("A one-time sign-in ticket for the console's QR code, bound to this browser by a cookie")
            .AllowAnonymous().RequireRateLimiting(AuthSetup.LoginRateLimit)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/login-tickets/confirm", ConfirmLoginTicket)
            .WithSummary("Confirm a console's ticket with the mini-program's session (staff only); the console is signed in as the caller")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        api.MapPost("/login-tickets/exchange", ExchangeLoginTicket)
            .WithSummary("The console's poll: waiting, or once confirmed its session cookie (once) and the CSRF token")
            .AllowAnonymous()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);
        api.MapGet("/session", GetConsoleSession)
            .WithSummary("The console's session: who, until when, its CSRF token and roles")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/sign-out", SignOutOfConsole)
            .WithSummary("End the console's session and clear its cookie")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private const string InsertTicket = """
        INSERT INTO console_login_tickets (ticket_hash, browser_hash, created_at, expires_at) VALUES (@ticketHash, @browserHash, @now, @expiresAt)
        """;

    private const string TicketForUpdate = """
        SELECT id, browser_hash, expires_at, confirmed_by, confirmed_at, exchanged_at FROM console_login_tickets WHERE ticket_hash = @ticketHash FOR UPDATE
        """;

    private const string Confirm = "UPDATE console_login_tickets SET confirmed_by = @callerId, confirmed_at = @now WHERE id = @id";

    private const string Exchanged = "UPDATE console_login_tickets SET exchanged_at = @now, session_id = @sessionId WHERE id = @id";

    private const string IsStaff = """
        SELECT COUNT(*) FROM role_assignments r JOIN users u ON u.id = r.user_id WHERE r.user_id = @userId AND u.status = 'Active'
        """;

    private const string SessionExpiry = "SELECT access_expires_at FROM auth_sessions WHERE id = @sessionId";

    private const string Roles = """
        SELECT r.role, r.org_unit_id AS unit_id, u.name AS unit_name FROM role_assignments r JOIN org_units u ON u.id = r.org_unit_id
         WHERE r.user_id = @userId ORDER BY u.path, r.role
        """;

    private sealed class TicketRow
    {
        public long Id { get; init; }
        public byte[] BrowserHash { get; init; } = [];
        public DateTime ExpiresAt { get; init; }
        public long? ConfirmedBy { get; init; }
        public DateTime? ConfirmedAt { get; init; }
        public DateTime? ExchangedAt { get; init; }
    }

    private sealed record RoleRow(string Role, long UnitId, string UnitName);

    public static async Task<Ok<LoginTicketView>> CreateLoginTicket(HttpContext http, MySqlDataSource db, TimeProvider time,
        IOptions<ConsoleOptions> options, CancellationToken ct)
    {
        var ticketLife = TimeSpan.FromSeconds(options.Value.TicketSeconds);
        var ticket = SessionTokens.NewLoginTicket();
        var browser = SessionTokens.NewBrowserSecret();
        var now = time.DbUtcNow();
        var expiresAt = now + ticketLife;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertTicket, new
            {
                ticketHash = SessionTokens.Hash(ticket), browserHash = SessionTokens.Hash(browser), now, expiresAt,
            }, cancellationToken: ct));
        }
        http.Response.Cookies.Append(TicketCookie, browser, ConsoleCookie.Options(http, ticketLife + TimeSpan.FromMinutes(1)));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new LoginTicketView(ticket, QrContent(ticket), expiresAt, PollMilliseconds));
    }

    /// <summary>The mini-program opens its confirm page from this link (a scanned code starting with it).</summary>
    public static string QrContent(string ticket) => "association://console-login?ticket=" + ticket;

    public static async Task<Results<Ok<ConfirmedView>, ProblemHttpResult>> ConfirmLoginTicket(TicketRequest request, HttpContext http, MySqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        // A console may not confirm a ticket itself: the scan is what proves the person holds the phone.
        if (ConsoleCookie.CameThroughConsole(http))
        {
            return Problems.Forbidden("console.ticket.fromConsole");
        }
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await ReadAsync(connection, transaction, request.Ticket!, ct);
        if (ticket is null)
        {
            return Problems.NotFound("console.ticket.notFound");
        }
        if (ticket.ExpiresAt <= now)
        {
            return Problems.Problem(StatusCodes.Status410Gone, "console.ticket.expired");
        }
        if (ticket.ConfirmedBy is not null)
        {
            return Problems.Conflict("console.ticket.used");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(IsStaff, new { userId = callerId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Forbidden("console.ticket.notStaff");
        }
        await connection.ExecuteAsync(new CommandDefinition(Confirm, new { ticket.Id, callerId, now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new ConfirmedView(now));
    }

    public static async Task<Results<Ok<ExchangeView>, Accepted<ExchangeView>, ProblemHttpResult>> ExchangeLoginTicket(TicketRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await ReadAsync(connection, transaction, request.Ticket!, ct);
        // Another browser's ticket is not there for this one: the QR code can be photographed, its cookie cannot.
        if (ticket is null || http.Request.Cookies[TicketCookie] is not { Length: > 0 and <= 100 } browser
            || !SessionTokens.Hash(browser).AsSpan().SequenceEqual(ticket.BrowserHash))
        {
            return Problems.NotFound("console.ticket.notFound");
        }
        if (ticket.ExchangedAt is not null)
        {
            return Problems.Conflict("console.ticket.used");
        }
        if (ticket.ExpiresAt <= now)
        {
            return Problems.Problem(StatusCodes.Status410Gone, "console.ticket.expired");
        }
        if (ticket.ConfirmedBy is not { } userId)
        {
            return TypedResults.Accepted((string?)null, new ExchangeView(TicketState.Waiting, ticket.ExpiresAt, null, null));
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(IsStaff, new { userId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Forbidden("console.ticket.notStaff");
        }
        var token = SessionTokens.NewConsoleToken();
        var expiresAt = now + ConsoleCookie.SessionLife;
        var sessionId = await CookieSessions.StartAsync(connection, transaction, userId, SessionTokens.ConsoleHash(token), expiresAt, now, ct);
        await connection.ExecuteAsync(new CommandDefinition(Exchanged, new { ticket.Id, sessionId, now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        http.Response.Cookies.Append(ConsoleCookie.Name, token, ConsoleCookie.Options(http, ConsoleCookie.SessionLife));
        http.Response.Cookies.Delete(TicketCookie, ConsoleCookie.Options(http, null));
        return TypedResults.Ok(new ExchangeView(TicketState.SignedIn, expiresAt, userId, SessionTokens.CsrfTokenFor(token)));
    }

    public static async Task<Results<Ok<ConsoleSessionView>, ProblemHttpResult>> GetConsoleSession(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        if (!ConsoleCookie.CameThroughConsole(http) || http.Request.Cookies[ConsoleCookie.Name] is not { } token)
        {
            return Problems.NotFound("console.session.notFound");
        }
        var userId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var expiresAt = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(SessionExpiry, new { sessionId = http.User.SessionId() },
            cancellationToken: ct));
        var roles = await connection.QueryAsync<RoleRow>(new CommandDefinition(Roles, new { userId }, cancellationToken: ct));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ConsoleSessionView(userId, expiresAt, SessionTokens.CsrfTokenFor(token),
            roles.Select(r => new ConsoleRole(Enum.Parse<Roles.Role>(r.Role), r.UnitId, r.UnitName)).ToList()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignOutOfConsole(HttpContext http, MySqlDataSource db, SessionCache sessions,
        TimeProvider time, CancellationToken ct)
    {
        if (!ConsoleCookie.CameThroughConsole(http))
        {
            return Problems.NotFound("console.session.notFound");
        }
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await SessionRevocation.SignOutAsync(connection, http.User.SessionId(), time.DbUtcNow(), ct);
        }
        await sessions.ForgetAsync(http.User.UserId());
        http.Response.Cookies.Delete(ConsoleCookie.Name, ConsoleCookie.Options(http, null));
        return TypedResults.NoContent();
    }

    private static Task<TicketRow?> ReadAsync(MySqlConnection connection, MySqlTransaction transaction, string ticket, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(TicketForUpdate, new { ticketHash = SessionTokens.Hash(ticket) }, transaction,
            cancellationToken: ct));
}
