using System.Text.Json.Serialization;
using Association.Api.Events;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

namespace Association.Api.Plans;

[JsonConverter(typeof(EnumNames<WorkPlanStatus>))]
public enum WorkPlanStatus
{
    Draft,
    Published,
}

[JsonConverter(typeof(EnumNames<PlanItemStatus>))]
public enum PlanItemStatus
{
    Planned,
    InProgress,
    Done,
    Cancelled,
}

/// <param name="Owner">Who answers for the item (负责人): a person or an office, as the plan names them.</param>
/// <param name="DueOn">A day of the plan's quarter.</param>
public sealed record NewPlanItem(string? Title, string? Description, string? Owner, DateOnly? DueOn)
{
    public void Validate(RequestRules rules, Quarter? quarter)
    {
        rules.Text(Title, "title", 2, 100);
        rules.OptionalText(Description, "description", 1000);
        rules.Text(Owner, "owner", 2, 50);
        if (DueOn is null)
        {
            rules.Fail("dueOn", "validation.required");
        }
        else if (quarter is { } q)
        {
            rules.Check(q.Contains(DueOn.Value), "dueOn", "plans.item.dueOn", q.ToString());
        }
    }
}

/// <param name="UnitId">The sub-district, village or grid the plan is for; the caller holds a role on it or above.</param>
/// <param name="Quarter">Such as 2026Q4: the current quarter, the one before it (written late) or one of the next four.</param>
public sealed record NewWorkPlanRequest(long UnitId, string? Quarter, string? Title, string? Goals, IReadOnlyList<NewPlanItem>? Items)
    : IValidatedRequest
{
    public const int MaxItems = 50;

    public void Validate(RequestRules rules)
    {
        rules.Range(UnitId, "unitId", 1, long.MaxValue, "org.unit.notFound");
        Quarter? quarter = null;
        if (Platform.Quarter.TryParse(Quarter, out var parsed))
        {
            var current = Platform.Quarter.Of(rules.Today);
            quarter = parsed;
            rules.Check(parsed >= current.Previous && parsed <= current.Next.Next.Next.Next, "quarter", "plans.plan.quarter");
        }
        else
        {
            rules.Fail("quarter", "rankings.quarter.format");
        }
        rules.Text(Title, "title", 2, 100);
        rules.OptionalText(Goals, "goals", 2000);
        if (rules.Check((Items?.Count ?? 0) <= MaxItems, "items", "validation.list.count", 0, MaxItems))
        {
            for (var i = 0; i < (Items?.Count ?? 0); i++)
            {
                if (Items![i] is { } item)
                {
                    item.Validate(rules.Nested($"items[{i}]."), quarter);
                }
                else
                {
                    rules.Fail($"items[{i}]", "validation.required");
                }
            }
        }
    }
}

public sealed record EditWorkPlanRequest(string? Title, string? Goals) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Text(Title, "title", 2, 100);
        rules.OptionalText(Goals, "goals", 2000);
    }
}

public sealed record NewPlanItemRequest(string? Title, string? Description, string? Owner, DateOnly? DueOn) : IValidatedRequest
{
    public void Validate(RequestRules rules) => new NewPlanItem(Title, Description, Owner, DueOn).Validate(rules, null);
}

/// <summary>Changes to an item; fields left out stay as they are.</summary>
public sealed record PlanItemUpdate(string? Title, string? Description, string? Owner, DateOnly? DueOn, PlanItemStatus? Status) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        if (Title is not null)
        {
            rules.Text(Title, "title", 2, 100);
        }
        rules.OptionalText(Description, "description", 1000);
        if (Owner is not null)
        {
            rules.Text(Owner, "owner", 2, 50);
        }
        if (Status is not null)
        {
            rules.Defined(Status, "status");
        }
        rules.Check(Title is not null || Description is not null || Owner is not null || DueOn is not null || Status is not null,
            "status", "plans.item.nothingToChange");
    }
}

/// <param name="Text">What was done, what was learned, what comes next: the author's words beside the counted figures.</param>
public sealed record PlanReviewRequest(string? Text) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Text(Text, "text", 10, 4000);
}

/// <summary>What the system counted for the plan's unit (and every unit beneath it) in the quarter, when the review was written.</summary>
/// <param name="EventsHeld">Events whose attendance was confirmed.</param>
/// <param name="PatrolHours">Confirmed patrols' time, start to finish.</param>
/// <param name="ReportsResolved">Grid reports resolved in the quarter.</param>
/// <param name="ItemsDone">Items of this plan done, of <c>ItemsPlanned</c> not cancelled.</param>
public sealed record PlanFigures(int EventsHeld, int Attended, int NoShows, int Patrols, decimal PatrolHours, int ReportsResolved, int ItemsDone,
    int ItemsPlanned);

public sealed record PlanReview(string Text, PlanFigures Figures, DateTime ReviewedAt);

public sealed record PlanEventView(long Id, string Title, DateTime StartsAt, EventStatus Status, int SignedUp);

public sealed record PlanItemView(long Id, string Title, string? Description, string Owner, DateOnly DueOn, PlanItemStatus Status,
    IReadOnlyList<PlanEventView> Events);

/// <param name="CanEdit">Whether the caller holds a role on the plan's unit or above, and so may change, publish and review it.</param>
public sealed record WorkPlanView(long Id, long UnitId, string UnitName, string Quarter, string Title, string? Goals, WorkPlanStatus Status,
    DateTime? PublishedAt, bool CanEdit, IReadOnlyList<PlanItemView> Items, PlanReview? Review);
