using System.Text.Json;
using Association.Api.Notifications;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Plans;

/// <summary>
/// The quarter-end review (定期总结) of a published plan: the author's text beside what the system counted for the plan's
/// unit and every unit beneath it in the quarter. It may be written from two weeks before the quarter ends, and
/// rewritten (the figures counted again); members are told the first time.
/// </summary>
public static class PlanReviewApi
{
    public const int DaysBeforeQuarterEnd = 14;

    public static RouteGroupBuilder MapPlanReviewApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/review", ReviewWorkPlan)
            .WithSummary("Write the quarter's review of a published plan, with the figures the system counts for the unit")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string UnitsBeneath = "u.path LIKE CONCAT(@unitPath, '%')";

    private const string Figures = """
        SELECT (SELECT COUNT(*) FROM events e JOIN org_units u ON u.id = e.unit_id
                 WHERE e.status = 'Completed' AND e.starts_at >= @from AND e.starts_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS events_held,
               (SELECT COUNT(*) FROM event_signups s JOIN events e ON e.id = s.event_id JOIN org_units u ON u.id = e.unit_id
                 WHERE s.attendance = 'Attended' AND e.starts_at >= @from AND e.starts_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS attended,
               (SELECT COUNT(*) FROM event_signups s JOIN events e ON e.id = s.event_id JOIN org_units u ON u.id = e.unit_id
                 WHERE s.attendance = 'NoShow' AND e.starts_at >= @from AND e.starts_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS no_shows,
               (SELECT COUNT(*) FROM patrols p JOIN org_units u ON u.id = p.grid_id
                 WHERE p.status = 'Confirmed' AND p.started_at >= @from AND p.started_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS patrols,
               (SELECT CAST(COALESCE(SUM(TIMESTAMPDIFF(MINUTE, p.started_at, p.finished_at)), 0) AS SIGNED)
                  FROM patrols p JOIN org_units u ON u.id = p.grid_id
                 WHERE p.status = 'Confirmed' AND p.started_at >= @from AND p.started_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS patrol_minutes,
               (SELECT COUNT(DISTINCT t.report_id) FROM grid_report_transitions t JOIN grid_reports r ON r.id = t.report_id
                  JOIN org_units u ON u.id = r.grid_id
                 WHERE t.to_status = 'Resolved' AND t.at >= @from AND t.at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS reports_resolved,
               (SELECT COUNT(*) FROM work_plan_items i WHERE i.plan_id = @id AND i.status = 'Done') AS items_done,
               (SELECT COUNT(*) FROM work_plan_items i WHERE i.plan_id = @id AND i.status <> 'Cancelled') AS items_planned
        """;

    private const string Review = """
        UPDATE work_plans SET review_text = @text, review_figures = @figures, reviewed_by = @callerId, reviewed_at = @now, updated_at = @now
         WHERE id = @id
        """;

    private sealed class FiguresRow
    {
        public long EventsHeld { get; init; }
        public long Attended { get; init; }
        public long NoShows { get; init; }
        public long Patrols { get; init; }
        public long PatrolMinutes { get; init; }
        public long ReportsResolved { get; init; }
        public long ItemsDone { get; init; }
        public long ItemsPlanned { get; init; }

        public PlanFigures ToFigures() => new((int)EventsHeld, (int)Attended, (int)NoShows, (int)Patrols, Math.Round(PatrolMinutes / 60m, 1),
            (int)ReportsResolved, (int)ItemsDone, (int)ItemsPlanned);
    }

    public static async Task<Results<Ok<WorkPlanView>, ValidationProblem, ProblemHttpResult>> ReviewWorkPlan(
        long id, PlanReviewRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
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
        if (plan.Status != nameof(WorkPlanStatus.Published))
        {
            return Problems.Conflict("plans.plan.draft");
        }
        var quarter = plan.TheQuarter;
        var opens = quarter.LastDay.AddDays(-DaysBeforeQuarterEnd);
        if (time.Today() < opens)
        {
            return Problems.Conflict("plans.review.tooEarly", opens.Written());
        }
        var figures = (await connection.QuerySingleAsync<FiguresRow>(new CommandDefinition(Figures, new
        {
            id, unitPath = plan.UnitPath, from = quarter.StartsAt.UtcDateTime, until = quarter.Next.StartsAt.UtcDateTime,
        }, transaction, cancellationToken: ct))).ToFigures();
        await connection.ExecuteAsync(new CommandDefinition(Review, new
        {
            id, text = request.Text!.Trim(), figures = JsonSerializer.Serialize(figures), callerId, now,
        }, transaction, cancellationToken: ct));
        await WorkPlansApi.TellMembersAsync(connection, transaction, plan, NotificationKind.PlanReviewed, now, ct);
        var view = (await PlanRows.ViewAsync(connection, transaction, id, callerId, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }
}
