using System.ComponentModel.DataAnnotations;

namespace Association.Api.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The subscribe-message templates of the mini-program and which notifications each carries.</summary>
    public List<SubscribeTemplate> Templates { get; set; } = [];

    /// <summary>How long the inbox keeps a notification.</summary>
    [Range(30, 3650)]
    public int KeepDays { get; set; } = 365;

    /// <summary>WeChat calls for one message before it counts as failed (busy, timeouts).</summary>
    [Range(1, 10)]
    public int MaxPushAttempts { get; set; } = 5;

    /// <summary>An application waiting longer than this reminds those who may decide it.</summary>
    [Range(1, 60)]
    public int ApplicationWaitingDays { get; set; } = 3;

    /// <summary>A finished patrol waiting longer than this for confirmation reminds the grid's leaders.</summary>
    [Range(1, 60)]
    public int PatrolWaitingDays { get; set; } = 2;

    /// <summary>An event over this long without its attendance confirmed counts as late in the organisers' to-dos.</summary>
    [Range(1, 60)]
    public int AttendanceWaitingDays { get; set; } = 2;

    /// <summary>A report this long past its deadline is raised to its village, and this much longer again to the sub-district.</summary>
    [Range(1, 720)]
    public int EscalateAfterHours { get; set; } = 48;

    public SubscribeTemplate? TemplateFor(NotificationKind kind) => Templates.FirstOrDefault(t => t.Kinds.Contains(kind));

    public SubscribeTemplate? Template(string templateId) => Templates.FirstOrDefault(t => t.Id == templateId);
}

/// <summary>
/// A template as registered in the mini-program's console: its id, what it is for (shown before the user is asked),
/// the page it opens, and which of a notification's parts fills each of its fields.
/// </summary>
public sealed class SubscribeTemplate
{
    [Required, StringLength(64, MinimumLength = 1)]
    public string Id { get; set; } = "";

    [Required, StringLength(20, MinimumLength = 1)]
    public string Purpose { get; set; } = "";

    public List<NotificationKind> Kinds { get; set; } = [];

    public string? Page { get; set; }

    /// <summary>Template field (thing1, time2, …) to part: Title, Body, Kind, Date or Time.</summary>
    public Dictionary<string, TemplatePart> Fields { get; set; } = [];
}

public enum TemplatePart
{
    Title,
    Body,
    Kind,
    Date,
    Time,
}
