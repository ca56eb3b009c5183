using Association.Api.Notifications;
using Dapper;
using MySqlConnector;

namespace Association.Api.Patrols;

/// <summary>Tells every participant of some patrols what became of them, in the transaction that did it.</summary>
public static class PatrolNotices
{
    private const string TellParticipants = Notices.InsertInto + """
        SELECT m.user_id, @kind, CONCAT('patrol:', p.id, ':', @stage), @title,
               REPLACE(REPLACE(REPLACE(@body, '{0}', DATE_FORMAT(DATE_ADD(p.started_at, INTERVAL 8 HOUR), '%Y年%c月%e日')), '{1}', g.name),
                       '{2}', COALESCE(p.decision_reason, '')),
               CONCAT('/api/patrols/', p.id), @now, 'Pending'
          FROM patrol_members pm
          JOIN patrols p ON p.id = pm.patrol_id
          JOIN org_units g ON g.id = p.grid_id
          JOIN members m ON m.id = pm.member_id
         WHERE pm.patrol_id IN @ids AND m.user_id IS NOT NULL
        """ + Notices.SkipTold;

    /// <summary>Call after the patrols' new state is written: the words read the decision's reason from the row.</summary>
    public static Task TellAsync(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyCollection<long> ids, NotificationKind kind,
        DateTime now, CancellationToken ct)
    {
        var stage = kind == NotificationKind.PatrolEndedForMember ? "ended" : "decided";
        return ids.Count == 0 ? Task.CompletedTask : connection.ExecuteAsync(new CommandDefinition(TellParticipants,
            new { ids, kind = kind.ToString(), stage, title = Notices.Title(kind), body = Notices.Body(kind), now }, transaction, cancellationToken: ct));
    }
}
