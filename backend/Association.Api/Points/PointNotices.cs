using Association.Api.Notifications;

namespace Association.Api.Points;

/// <summary>
/// The member's notification of an entry, written by the statement that moves the totals: an award names the work, a
/// hand adjustment or reversal its reason. An award cut to nothing by a cap tells nothing. The statements expect the
/// parameters of <see cref="Parameters"/> and the entry's columns as the ledger has them.
/// </summary>
internal static class PointNotices
{
    /// <summary>After one entry: expects @entryId, @memberId, @points, @workKind, @reason, @now.</summary>
    public const string TellOne = Notices.InsertInto + """
        SELECT m.user_id, IF(@workKind IS NULL, 'PointsChanged', 'PointsAwarded'), CONCAT('points:', @entryId),
               IF(@workKind IS NULL, @changedTitle, @awardedTitle),
               IF(@workKind IS NULL,
                  REPLACE(REPLACE(@changedBody, '{0}', IF(@points > 0, CONCAT('+', @points), @points)), '{1}', COALESCE(@reason, '')),
                  REPLACE(REPLACE(@awardedBody, '{0}', JSON_UNQUOTE(JSON_EXTRACT(@workLabels, CONCAT('$.', @workKind)))), '{1}', @points)),
               '/api/points/me', @now, 'Pending'
          FROM members m
         WHERE m.id = @memberId AND m.user_id IS NOT NULL AND @points <> 0
        """ + Notices.SkipTold;

    /// <summary>After a batch's entries: expects @sources (the awards' sources as JSON) and @now.</summary>
    public const string TellBatch = Notices.InsertInto + """
        SELECT m.user_id, 'PointsAwarded', CONCAT('points:', e.id), @awardedTitle,
               REPLACE(REPLACE(@awardedBody, '{0}', JSON_UNQUOTE(JSON_EXTRACT(@workLabels, CONCAT('$.', e.work_kind)))), '{1}', e.points),
               '/api/points/me', @now, 'Pending'
          FROM JSON_TABLE(@sources, '$[*]' COLUMNS (kind VARCHAR(32) PATH '$[0]', id BIGINT PATH '$[1]')) s
          JOIN point_entries e ON e.source_kind = s.kind COLLATE utf8mb4_unicode_ci AND e.source_id = s.id
          JOIN members m ON m.id = e.member_id
         WHERE m.user_id IS NOT NULL AND e.points > 0 AND e.created_at = @now
        """ + Notices.SkipTold;

    private static readonly string WorkLabels = Notices.LabelsJson<WorkKind>();

    /// <summary>The words, the same for every entry: parameters, so the statements' text stays constant.</summary>
    public static readonly object Parameters = new
    {
        workLabels = WorkLabels,
        awardedTitle = Notices.Title(NotificationKind.PointsAwarded),
        awardedBody = Notices.Body(NotificationKind.PointsAwarded),
        changedTitle = Notices.Title(NotificationKind.PointsChanged),
        changedBody = Notices.Body(NotificationKind.PointsChanged),
    };
}
