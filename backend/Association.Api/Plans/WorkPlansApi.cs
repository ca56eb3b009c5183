using Association.Api.Notifications;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Plans;

/// <summary>
/// Quarterly work plans (季度工作安排, standard 10 of the source): written by role holders on the unit or above, published
/// to the members of the unit's grids (each told once), changed as the quarter goes on.
/// </summary>
public static class WorkPlansApi
{
    public static RouteGroupBuilder MapWorkPlansApi(this RouteGroupBuilder api)
    {
        api.MapPost("", CreateWorkPlan)
            .WithSummary("Write a unit's plan for a quarter, with its items (a role holder on the unit or above); one plan per unit and quarter")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("", ListWorkPlans)
            .WithSummary("Plans the caller may read: drafts and published plans of units they hold a role over, published plans of their grids' units")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetWorkPlan)
            .WithSummary("One plan with its items, the events held for them and the quarter's review")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{id}", EditWorkPlan)
            .WithSummary("Change a plan's title and goals")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/publish", PublishWorkPlan)
            .WithSummary("Publish the plan to the members of the unit's grids, who are told of it")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string Existing = "SELECT COUNT(*) FROM work_plans WHERE unit_id = @unitId AND quarter = @quarter";

    private const string Insert = """
        INSERT INTO work_plans (unit_id, quarter, title, goals, status, created_by, created_at, updated_at)
        VALUES (@unitId, @quarter, @title, @goals, 'Draft', @callerId, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    internal const string InsertItem = """
        INSERT INTO work_plan_items (plan_id, title, description, owner, due_on, status, updated_by, updated_at)
        VALUES (@planId, @title, @description, @owner, @dueOn, 'Planned', @callerId, @now)
        """;

    private const string Edit = "UPDATE work_plans SET title = @title, goals = @goals, updated_at = @now WHERE id = @id";

    private const string Publish = """
        UPDATE work_plans SET status = 'Published', published_by = @callerId, published_at = @now, updated_at = @now WHERE id = @id
        """;

    /// <summary>Every active member of a grid beneath the plan's unit is told once.</summary>
    internal const string TellMembers = Notices.InsertInto + """
        SELECT m.user_id, @kind, @eventKey, @title, @body, @path, @now, 'Pending'
          FROM members m JOIN org_units g ON g.id = m.grid_id
         WHERE m.status = 'Active' AND m.user_id IS NOT NULL AND g.path LIKE CONCAT(@unitPath, '%')
        """ + Notices.SkipTold;

    public static async Task<Results<Created<WorkPlanView>, ValidationProblem, ProblemHttpResult>> CreateWorkPlan(
        NewWorkPlanRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await UnitAccess.ReadAsync(connection, transaction, request.UnitId, callerId, ct, lockUnit: true) is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(Existing, new { request.UnitId, request.Quarter }, transaction,
                cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("plans.plan.exists", request.Quarter!);
        }
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            request.UnitId, request.Quarter, title = request.Title!.Trim(), goals = request.Goals?.Trim(), callerId, now,
        }, transaction, cancellationToken: ct));
        foreach (var item in request.Items ?? [])
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertItem, ItemParameters(id, item.Title, item.Description, item.Owner, item.DueOn!.Value,
                callerId, now), transaction, cancellationToken: ct));
        }
        var view = (await PlanRows.ViewAsync(connection, transaction, id, callerId, ct))!;
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/plans/{id}", view, ct);
    }

    internal static object ItemParameters(long planId, string? title, string? description, string? owner, DateOnly dueOn, long callerId, DateTime now) =>
        new
        {
            planId, title = title!.Trim(), description = description?.Trim(), owner = owner!.Trim(), dueOn = dueOn.ToDateTime(TimeOnly.MinValue),
            callerId, now,
        };

    public static async Task<Results<Ok<IReadOnlyList<WorkPlanView>>, ValidationProblem>> ListWorkPlans(
        HttpContext http, MySqlDataSource db, CancellationToken ct, long? unitId = null, [Quarter] string? quarter = null,
        [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<PlanRows.PlanRow>(new CommandDefinition(PlanRows.Page, new
        {
            callerId, unitId, quarter, limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct))).ToList();
        return TypedResults.Ok(await PlanRows.ViewsAsync(connection, null, rows, callerId, ct));
    }

    public static async Task<Results<Ok<WorkPlanView>, ProblemHttpResult>> GetWorkPlan(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await PlanRows.ViewAsync(connection, null, id, http.User.UserId(), ct) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound("plans.plan.notFound");
    }

    public static async Task<Results<Ok<WorkPlanView>, ValidationProblem, ProblemHttpResult>> EditWorkPlan(
        long id, EditWorkPlanRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await PlanRows.ReadAsync(connection, transaction, PlanRows.ForEdit, id, callerId, ct) is null)
        {
            return Problems.NotFound("plans.plan.notFound");
        }
        await connection.ExecuteAsync(new CommandDefinition(Edit, new { id, title = request.Title!.Trim(), goals = request.Goals?.Trim(), now = time.DbUtcNow() },
            transaction, cancellationToken: ct));
        var view = (await PlanRows.ViewAsync(connection, transaction, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<WorkPlanView>, ProblemHttpResult>> PublishWorkPlan(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
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
        if (plan.Status == nameof(WorkPlanStatus.Published))
        {
            return Problems.Conflict("plans.plan.published");
        }
        await connection.ExecuteAsync(new CommandDefinition(Publish, new { id, callerId, now }, transaction, cancellationToken: ct));
        await TellMembersAsync(connection, transaction, plan, NotificationKind.PlanPublished, now, ct);
        var view = (await PlanRows.ViewAsync(connection, transaction, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    internal static Task<int> TellMembersAsync(MySqlConnection connection, MySqlTransaction transaction, PlanRows.PlanRow plan, NotificationKind kind,
        DateTime now, CancellationToken ct)
    {
        var quarter = plan.TheQuarter;
        return connection.ExecuteAsync(new CommandDefinition(TellMembers, new
        {
            kind = kind.ToString(), eventKey = $"plan:{plan.Id}:{kind}", title = Notices.Title(kind),
            body = Notices.Body(kind, plan.UnitName, $"{quarter.Year}年第{quarter.Number}季度", plan.Title), path = $"/plans/{plan.Id}",
            unitPath = plan.UnitPath, now,
        }, transaction, cancellationToken: ct));
    }
}
