using System.Globalization;
using System.Text.Json;
using Association.Api.Platform;
using Association.Api.Platform.Errors;
using Dapper;
using MySqlConnector;

namespace Association.Api.Notifications;

/// <summary>One notification to write: who, what, the event it is about (unique per user) and the words' arguments.</summary>
public sealed record Notice(long UserId, NotificationKind Kind, string EventKey, string? SubjectPath, params object?[] Args);

/// <summary>
/// Writes notifications inside the caller's transaction, so the inbox says exactly what was committed. The words are
/// Chinese, taken from the catalog when written: the inbox keeps what the user was told. A notice whose event the user
/// was already told of is skipped (unique user and event key), so a repeated job or a retried request adds nothing.
/// </summary>
public static class Notices
{
    /// <summary>The columns every notification insert names, for features that insert many at once from a SELECT.</summary>
    public const string InsertInto = "INSERT INTO notifications (user_id, kind, event_key, title, body, subject_path, created_at, push_state)\n";

    /// <summary>Ends such an insert: a user told of an event once is not told again.</summary>
    public const string SkipTold = "\nON DUPLICATE KEY UPDATE notifications.id = notifications.id";

    private const string InsertRows = InsertInto + """
        SELECT j.user_id, j.kind, j.event_key, j.title, j.body, j.subject_path, @now, 'Pending'
          FROM JSON_TABLE(@rows, '$[*]' COLUMNS (
                   user_id BIGINT PATH '$[0]', kind VARCHAR(32) PATH '$[1]', event_key VARCHAR(80) PATH '$[2]',
                   title VARCHAR(40) PATH '$[3]', body VARCHAR(300) PATH '$[4]', subject_path VARCHAR(120) PATH '$[5]')) j
          JOIN users u ON u.id = j.user_id
        """ + SkipTold;

    public static Task<int> WriteAsync(MySqlConnection connection, MySqlTransaction transaction, DateTime now, CancellationToken ct,
        params IEnumerable<Notice> notices)
    {
        var rows = notices.Select(n => new object?[]
        {
            n.UserId, n.Kind.ToString(), n.EventKey, Title(n.Kind), Body(n.Kind, n.Args), n.SubjectPath,
        }).ToList();
        return rows.Count == 0
            ? Task.FromResult(0)
            : connection.ExecuteAsync(new CommandDefinition(InsertRows, new { rows = JsonSerializer.Serialize(rows), now }, transaction, cancellationToken: ct));
    }

    public static string Title(NotificationKind kind) => Words(kind, "title");

    /// <summary>The body with its arguments; a set-based insert fills the placeholders it leaves with REPLACE.</summary>
    public static string Body(NotificationKind kind, params object?[] args)
    {
        var text = Words(kind, "body");
        return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args.Select(Shown).ToArray());
    }

    /// <summary>An enum's Chinese labels by value name, as JSON, for a set-based insert to pick with JSON_EXTRACT.</summary>
    public static string LabelsJson<TEnum>() where TEnum : struct, Enum =>
        JsonSerializer.Serialize(Enum.GetValues<TEnum>().ToDictionary(v => v.ToString(), v => EnumLabels.Chinese(v)));

    /// <summary>A day as the inbox shows it, in China time.</summary>
    public static string Day(DateTime utc) =>
        DateOnly.FromDateTime(utc.ToUniversalTime().Add(ChinaTime.Offset)).Written();

    private static object? Shown(object? arg) => arg switch
    {
        Enum value => EnumLabels.Chinese(value),
        DateOnly day => day.Written(),
        null => "",
        _ => arg,
    };

    private static string Words(NotificationKind kind, string part) =>
        MessageCatalog.Resources.GetString($"notice.{kind}.{part}", CultureInfo.GetCultureInfo("zh-CN"))
        ?? throw new InvalidOperationException($"The catalog has no notice.{kind}.{part}.");
}
