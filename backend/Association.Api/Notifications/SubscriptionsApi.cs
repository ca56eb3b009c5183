using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Notifications;

/// <summary>
/// One-time subscribe messages: the mini-program asks with wx.requestSubscribeMessage and reports what the user
/// answered; each "accept" is one message we may send with that template. The report is keyed (Idempotency-Key), so a
/// phone that retries on a bad network does not grant a second credit.
/// </summary>
public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subscriptions", ListSubscriptions)
            .WithSummary("The subscribe-message templates to ask for, what each carries and how many messages I granted")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPost("/subscriptions", ReportSubscribeResult)
            .WithSummary("Report what wx.requestSubscribeMessage answered: each accept lets one message be sent")
            .Idempotent()
            .ProducesValidationProblem();

        return api;
    }

    // WeChat keeps no count we could read; this cap only stops a looping client from banking thousands.
    private const int MaxCredits = 50;

    private const string Credits = "SELECT template_id, credits FROM subscribe_credits WHERE user_id = @callerId";

    private const string Grant = """
        INSERT INTO subscribe_credits (user_id, template_id, credits, updated_at) VALUES (@callerId, @templateId, 1, @now)
        ON DUPLICATE KEY UPDATE credits = LEAST(credits + 1, @max), updated_at = @now
        """;

    // "ban" turns the template off in the user's settings: WeChat refuses every send until they turn it on and accept.
    private const string Clear = "UPDATE subscribe_credits SET credits = 0, updated_at = @now WHERE user_id = @callerId AND template_id = @templateId";

    public static async Task<Ok<IReadOnlyList<SubscriptionView>>> ListSubscriptions(HttpContext http, MySqlDataSource db,
        IOptions<NotificationOptions> options, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, null, http.User.UserId(), options.Value, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<SubscriptionView>>, ValidationProblem>> ReportSubscribeResult(SubscribeResultRequest request,
        HttpContext http, MySqlDataSource db, IOptions<NotificationOptions> options, TimeProvider time, CancellationToken ct)
    {
        var results = request.Results!;
        if (results.Any(r => options.Value.Template(r.TemplateId!) is null))
        {
            return Problems.Invalid("results", "notifications.subscribe.unknownTemplate");
        }
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        foreach (var (templateId, answer) in results.OrderBy(r => r.TemplateId, StringComparer.Ordinal))
        {
            var statement = answer switch { "accept" => Grant, "ban" => Clear, _ => null };
            if (statement is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(statement, new { callerId, templateId, now, max = MaxCredits }, transaction, cancellationToken: ct));
            }
        }
        return await IdempotentWrite.CommitOkAsync(http, connection, transaction, await ReadAsync(connection, transaction, callerId, options.Value, ct), ct);
    }

    private static async Task<IReadOnlyList<SubscriptionView>> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long callerId,
        NotificationOptions options, CancellationToken ct)
    {
        var held = (await connection.QueryAsync<(string TemplateId, int Credits)>(new CommandDefinition(Credits, new { callerId }, transaction, cancellationToken: ct)))
            .ToDictionary(c => c.TemplateId, c => c.Credits, StringComparer.Ordinal);
        return options.Templates.Select(t => new SubscriptionView(t.Id, t.Purpose, t.Kinds, held.GetValueOrDefault(t.Id))).ToList();
    }
}
