using Association.Api.Notifications;
using Dapper;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// When a quarter's ranking becomes final, each member who earned points that quarter is told their rank in their grid,
/// in the transaction that publishes it, and only if this run is the one published final.
/// </summary>
internal static class RankingNotices
{
    private const string TellRanked = Notices.InsertInto + """
        SELECT m.user_id, 'RankingFinal', CONCAT('ranking:', @quarter), @title,
               REPLACE(REPLACE(REPLACE(REPLACE(@body, '{0}', @quarterLabel), '{1}', g.name), '{2}', r.grid_rank), '{3}', r.points),
               '/api/rankings/me', @now, 'Pending'
          FROM ranking_quarters q
          JOIN member_ranks r ON r.run_id = q.current_run
          JOIN members m ON m.id = r.member_id
          JOIN org_units g ON g.id = r.grid_id
         WHERE q.quarter = @quarter AND q.current_run = @runId AND q.status = 'Final' AND r.points > 0 AND m.user_id IS NOT NULL
        """ + Notices.SkipTold;

    public static Task TellAsync(MySqlConnection connection, MySqlTransaction transaction, string quarter, long runId, DateTime now, CancellationToken ct)
    {
        var parsed = Platform.Quarter.Parse(quarter);
        return connection.ExecuteAsync(new CommandDefinition(TellRanked, new
        {
            quarter, runId, now, quarterLabel = $"{parsed.Year}年第{parsed.Number}",
            title = Notices.Title(NotificationKind.RankingFinal), body = Notices.Body(NotificationKind.RankingFinal),
        }, transaction, cancellationToken: ct));
    }
}
