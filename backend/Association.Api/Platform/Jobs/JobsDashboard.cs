using System.Security.Cryptography;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Redis;
using Dapper;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Api.Platform.Jobs;

/// <summary>
/// Hangfire's dashboard, for SubDistrictAdmins only. The API's bearer tokens cannot ride along with a
/// browser, so an admin asks the API for a one-time link (valid two minutes); opening it starts a
/// 30-minute session held in an HttpOnly cookie scoped to the dashboard, checked on every request.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/jobs";
    private const string CookieName = "assoc_jobs";
    private static readonly TimeSpan TicketLife = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SessionLife = TimeSpan.FromMinutes(30);

    private const string SessionAdmin = """
        SELECT COUNT(*) FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.access_hash = @hash AND s.revoked_at IS NULL AND s.access_expires_at > @now AND u.status = 'Active'
           AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = s.user_id AND ra.role = 'SubDistrictAdmin')
        """;

    public sealed record DashboardLink(string Url, DateTime ExpiresAt);

    public static void MapJobsDashboard(this WebApplication app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization();
        api.MapPost("/dashboard-link", CreateDashboardLink)
            .WithSummary("A one-time link that opens the jobs dashboard in a browser (SubDistrictAdmin)")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGet(Path + "-login", OpenDashboard).ExcludeFromDescription();
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            AsyncAuthorization = [new SubDistrictAdminFilter()],
            DashboardTitle = "Association jobs",
            AppPath = null,
        });
    }

    public static async Task<Results<Ok<DashboardLink>, ProblemHttpResult>> CreateDashboardLink(
        HttpContext http, MySqlDataSource db, IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, CancellationToken ct)
    {
        var userId = http.User.UserId();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (!await UnitAccess.IsSubDistrictAdminAnywhereAsync(connection, userId, ct))
            {
                return Problems.Forbidden("jobs.dashboard.notSubDistrictAdmin");
            }
        }
        var ticket = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await redis.GetDatabase().StringSetAsync(keys.DashboardTicket(ticket), userId, TicketLife);
        return TypedResults.Ok(new DashboardLink($"{Path}-login?ticket={ticket}", time.GetUtcNow().UtcDateTime + TicketLife));
    }

    public static async Task<IResult> OpenDashboard(string? ticket, HttpContext http, MySqlDataSource db, IConnectionMultiplexer redis,
        RedisKeys keys, TimeProvider time, CancellationToken ct)
    {
        if (ticket is not { Length: 48 } || !ticket.All(char.IsAsciiHexDigitLower)
            || await redis.GetDatabase().StringGetDeleteAsync(keys.DashboardTicket(ticket)) is not { HasValue: true } owner)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, "jobs.dashboard.linkInvalid");
        }
        var token = SessionTokens.NewDashboardToken();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await CookieSessions.StartAsync(connection, null, (long)owner, SessionTokens.DashboardHash(token), now + SessionLife, now, ct);
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = Path,
            MaxAge = SessionLife,
        });
        return TypedResults.Redirect(Path);
    }

    /// <summary>Every dashboard request: a live cookie session of a current SubDistrictAdmin.</summary>
    private sealed class SubDistrictAdminFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            if (http.Request.Cookies[CookieName] is not { Length: > 0 } token)
            {
                return false;
            }
            var db = http.RequestServices.GetRequiredService<MySqlDataSource>();
            var time = http.RequestServices.GetRequiredService<TimeProvider>();
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SessionAdmin,
                new { hash = SessionTokens.DashboardHash(token), now = time.DbUtcNow() }, cancellationToken: http.RequestAborted)) > 0;
        }
    }
}
