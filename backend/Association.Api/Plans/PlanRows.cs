using System.Text.Json;
using Association.Api.Events;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Plans;

/// <summary>
/// Plans as their readers see them: role holders on the plan's unit or above read drafts too and may edit; members of
/// grids beneath the unit read it once published. The plan's unit is aliased <c>target</c>.
/// </summary>
internal static class PlanRows
{
    internal const string CallerReads = "(" + Scope.Sees + " OR (p.status = 'Published' AND " + Scope.MemberBeneath + "))";

    private const string Columns = """
        SELECT p.id, p.unit_id, target.name AS unit_name, target.path AS unit_path, p.quarter, p.title, p.goals, p.status, p.published_at,
               p.review_text, p.review_figures, p.reviewed_at,
        """ + " " + Scope.Sees + """
         AS can_edit
          FROM work_plans p JOIN org_units target ON target.id = p.unit_id
        """;

    internal const string ById = Columns + " WHERE p.id = @id AND " + CallerReads;

    /// <summary>The plan for a write: only a role holder over its unit gets it, and it stays locked until commit.</summary>
    internal const string ForEdit = Columns + " WHERE p.id = @id AND " + Scope.Sees + " FOR UPDATE";

    internal const string Page = Columns + """
         WHERE (@unitId IS NULL OR p.unit_id = @unitId) AND (@quarter IS NULL OR p.quarter = @quarter) AND
        """ + " " + CallerReads + " ORDER BY p.quarter DESC, target.path, p.id LIMIT @limit OFFSET @offset";

    private const string Items = """
        SELECT id, plan_id, title, description, owner, due_on, status FROM work_plan_items WHERE plan_id IN @ids ORDER BY due_on, id
        """;

    /// <summary>An item's events, each only if the caller may see the event itself (its unit aliased <c>target</c> there).</summary>
    private const string ItemEvents = """
        SELECT e.id, e.plan_item_id, e.title, e.starts_at, e.status, e.signed_up
          FROM events e JOIN org_units target ON target.id = e.unit_id
         WHERE e.plan_item_id IN @itemIds AND
        """ + " " + EventRows.CallerSees + " ORDER BY e.starts_at, e.id";

    internal sealed class PlanRow
    {
        public long Id { get; init; }
        public long UnitId { get; init; }
        public string UnitName { get; init; } = "";
        public string UnitPath { get; init; } = "";
        public string Quarter { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Goals { get; init; }
        public string Status { get; init; } = "";
        public DateTime? PublishedAt { get; init; }
        public string? ReviewText { get; init; }
        public string? ReviewFigures { get; init; }
        public DateTime? ReviewedAt { get; init; }
        public bool CanEdit { get; init; }

        public Platform.Quarter TheQuarter => Platform.Quarter.Parse(Quarter);
    }

    private sealed class ItemRow
    {
        public long Id { get; init; }
        public long PlanId { get; init; }
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public string Owner { get; init; } = "";
        public DateTime DueOn { get; init; }
        public string Status { get; init; } = "";
    }

    private sealed class EventRow
    {
        public long Id { get; init; }
        public long PlanItemId { get; init; }
        public string Title { get; init; } = "";
        public DateTime StartsAt { get; init; }
        public string Status { get; init; } = "";
        public int SignedUp { get; init; }
    }

    internal static Task<PlanRow?> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, long id, long callerId,
        CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(sql, new { id, callerId }, transaction, cancellationToken: ct));

    internal static async Task<WorkPlanView?> ViewAsync(MySqlConnection connection, MySqlTransaction? transaction, long id, long callerId,
        CancellationToken ct) =>
        await ReadAsync(connection, transaction, ById, id, callerId, ct) is { } row
            ? (await ViewsAsync(connection, transaction, [row], callerId, ct))[0]
            : null;

    internal static async Task<IReadOnlyList<WorkPlanView>> ViewsAsync(MySqlConnection connection, MySqlTransaction? transaction,
        IReadOnlyList<PlanRow> plans, long callerId, CancellationToken ct)
    {
        if (plans.Count == 0)
        {
            return [];
        }
        var items = (await connection.QueryAsync<ItemRow>(new CommandDefinition(Items, new { ids = plans.Select(p => p.Id).ToList() },
            transaction, cancellationToken: ct))).ToList();
        var events = (items.Count == 0
            ? []
            : await connection.QueryAsync<EventRow>(new CommandDefinition(ItemEvents, new { itemIds = items.Select(i => i.Id).ToList(), callerId },
                transaction, cancellationToken: ct))).ToLookup(e => e.PlanItemId);
        var itemsOfPlan = items.ToLookup(i => i.PlanId);
        return plans.Select(p => new WorkPlanView(p.Id, p.UnitId, p.UnitName, p.Quarter, p.Title, p.Goals, Enum.Parse<WorkPlanStatus>(p.Status),
            p.PublishedAt, p.CanEdit,
            itemsOfPlan[p.Id].Select(i => new PlanItemView(i.Id, i.Title, i.Description, i.Owner, DateOnly.FromDateTime(i.DueOn),
                Enum.Parse<PlanItemStatus>(i.Status),
                events[i.Id].Select(e => new PlanEventView(e.Id, e.Title, e.StartsAt, Enum.Parse<EventStatus>(e.Status), e.SignedUp)).ToList())).ToList(),
            p.ReviewText is null ? null : new PlanReview(p.ReviewText, JsonSerializer.Deserialize<PlanFigures>(p.ReviewFigures!)!, p.ReviewedAt!.Value)))
            .ToList();
    }
}
