using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Todos;

/// <summary>A kind of work waiting for the caller (待办).</summary>
[JsonConverter(typeof(EnumNames<TodoKind>))]
public enum TodoKind
{
    ApplicationsToDecide,
    PatrolsToConfirm,
    ReportsToRelease,
    ReportsToAccept,
    ReportsToAssign,
    ReportsToClose,
    ReportsOverdue,
    ReportsAssignedToMe,
    PublicityToPublish,
    MembersUncovered,
    EventsToConfirm,
}

/// <summary>An HTTP call: what to open or do about a to-do.</summary>
public sealed record TodoLink(string Method, string Path);

/// <param name="Subject">What it is about, in Chinese: a masked name, a report's kind, a title, a member number.</param>
/// <param name="Overdue">Past its deadline (reports) or waiting longer than the reminder's limit.</param>
/// <param name="Act">The operation that settles it (approve, confirm, accept, ...); the list link shows the alternatives.</param>
public sealed record TodoItem(long Id, string Subject, string UnitName, DateTime At, bool Overdue, TodoLink Open, TodoLink Act);

/// <param name="Count">All of this kind in the caller's scope; <paramref name="First"/> holds the oldest few.</param>
/// <param name="List">The list operation that shows them all.</param>
public sealed record TodoGroup(TodoKind Kind, string Label, int Count, int Overdue, IReadOnlyList<TodoItem> First, TodoLink List);

/// <param name="Groups">Only kinds with something waiting, in the order of the day's work.</param>
public sealed record Todos(int Total, int UnreadNotifications, IReadOnlyList<TodoGroup> Groups);
