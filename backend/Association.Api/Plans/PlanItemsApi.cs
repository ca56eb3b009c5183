using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Plans;

/// <summary>A plan's items: added and changed by role holders over the plan's unit, their status moved as the work is done.</summary>
public static class PlanItemsApi
{
    public static RouteGroupBuilder MapPlanItemsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/items", AddPlanItem)
            .WithSummary("Add an item to a plan; its due day lies in the plan's quarter")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/items/{itemId}", UpdatePlanItem)
            .WithSummary("Change an item of a plan: its words, owner, due day or status")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private const string CountItems = "SELECT COUNT(*) FROM work_plan_items WHERE plan_id = @id";

    private const string ItemOfPlan = "SELECT COUNT(*) FROM work_plan_items WHERE id = @itemId AND plan_id = @id";

    private const string Update = """
        UPDATE work_plan_items
           SET title = COALESCE(@title, title), description = COALESCE(@description, description), owner = COALESCE(@owner, owner),
               due_on = COALESCE(@dueOn, due_on), status = COALESCE(@status, status), updated_by = @callerId, updated_at = @now
         WHERE id = @itemId
        """;

    private const string Touch = "UPDATE work_plans SET updated_at = @now WHERE id = @id";

    public static async Task<Results<Created<WorkPlanView>, ValidationProblem, ProblemHttpResult>> AddPlanItem(
        long id, NewPlanItemRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var plan = await PlanRows.ReadAsync(connection, transaction, PlanRows.ForEdit, id, callerId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plans.plan.notFound");
        }
        if (!plan.TheQuarter.Contains(request.DueOn!.Value))
        {
            return Problems.Invalid("dueOn", "plans.item.dueOn", plan.Quarter);
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountItems, new { id }, transaction, cancellationToken: ct))
            >= NewWorkPlanRequest.MaxItems)
        {
            return Problems.Conflict("plans.item.tooMany", NewWorkPlanRequest.MaxItems);
        }
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        await connection.ExecuteAsync(new CommandDefinition(WorkPlansApi.InsertItem,
            WorkPlansApi.ItemParameters(id, request.Title, request.Description, request.Owner, request.DueOn.Value, callerId, now), transaction,
            cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Touch, new { id, now }, transaction, cancellationToken: ct));
        var view = (await PlanRows.ViewAsync(connection, transaction, id, callerId, ct))!;
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/plans/{id}", view, ct);
    }

    public static async Task<Results<Ok<WorkPlanView>, ValidationProblem, ProblemHttpResult>> UpdatePlanItem(
        long id, long itemId, PlanItemUpdate request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var plan = await PlanRows.ReadAsync(connection, transaction, PlanRows.ForEdit, id, callerId, ct);
        if (plan is null || await connection.ExecuteScalarAsync<long>(new CommandDefinition(ItemOfPlan, new { id, itemId }, transaction,
                cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("plans.item.notFound");
        }
        if (request.DueOn is { } dueOn && !plan.TheQuarter.Contains(dueOn))
        {
            return Problems.Invalid("dueOn", "plans.item.dueOn", plan.Quarter);
        }
        await connection.ExecuteAsync(new CommandDefinition(Update, new
        {
            itemId, title = request.Title?.Trim(), description = request.Description?.Trim(), owner = request.Owner?.Trim(),
            dueOn = request.DueOn?.ToDateTime(TimeOnly.MinValue), status = request.Status?.ToString(), callerId, now,
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Touch, new { id, now }, transaction, cancellationToken: ct));
        var view = (await PlanRows.ViewAsync(connection, transaction, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }
}
