using System.Text.Json;
using Association.Api.Platform;
using Dapper;
using MySqlConnector;

namespace Association.Api.Certificates;

/// <summary>
/// What a member's service in a period adds up to, from the records themselves: events attended (by the event's start),
/// confirmed patrols (by their start), points earned for work done on the period's days (an entry without a work day
/// counts on the China day it was written) and the yearly awards of the period's years.
/// </summary>
internal static class CertificateFiguresQuery
{
    private const string Figures = """
        SELECT (SELECT CAST(COALESCE(SUM(s.minutes), 0) AS SIGNED)
                  FROM event_signups s JOIN events e ON e.id = s.event_id
                 WHERE s.member_id = @memberId AND s.attendance = 'Attended' AND e.starts_at >= @fromUtc AND e.starts_at < @untilUtc) AS minutes,
               (SELECT COUNT(*)
                  FROM event_signups s JOIN events e ON e.id = s.event_id
                 WHERE s.member_id = @memberId AND s.attendance = 'Attended' AND e.starts_at >= @fromUtc AND e.starts_at < @untilUtc) AS events_attended,
               (SELECT COUNT(*)
                  FROM patrol_members pm JOIN patrols p ON p.id = pm.patrol_id
                 WHERE pm.member_id = @memberId AND p.status = 'Confirmed' AND p.started_at >= @fromUtc AND p.started_at < @untilUtc) AS patrols,
               (SELECT CAST(COALESCE(SUM(pe.points), 0) AS SIGNED)
                  FROM point_entries pe
                 WHERE pe.member_id = @memberId AND pe.entry_kind IN ('Award', 'Adjustment', 'Reversal')
                   AND COALESCE(pe.work_day, DATE(pe.created_at + INTERVAL 8 HOUR)) BETWEEN @from AND @until) AS points_earned
        """;

    private const string Awards = """
        SELECT a.year, u.name AS scope_name
          FROM award_confirmations a JOIN org_units u ON u.id = a.scope_id
         WHERE a.member_id = @memberId AND a.year BETWEEN @fromYear AND @untilYear
         ORDER BY a.year
        """;

    private sealed class FiguresRow
    {
        public long Minutes { get; init; }
        public long EventsAttended { get; init; }
        public long Patrols { get; init; }
        public long PointsEarned { get; init; }
    }

    private sealed class AwardRow
    {
        public int Year { get; init; }
        public string ScopeName { get; init; } = "";
    }

    public static async Task<CertificateFigures> ReadAsync(MySqlConnection connection, MySqlTransaction transaction, long memberId, DateOnly from,
        DateOnly until, CancellationToken ct)
    {
        var row = await connection.QuerySingleAsync<FiguresRow>(new CommandDefinition(Figures, new
        {
            memberId, from = from.ToDateTime(TimeOnly.MinValue), until = until.ToDateTime(TimeOnly.MinValue), fromUtc = StartUtc(from), untilUtc = StartUtc(until.AddDays(1)),
        }, transaction, cancellationToken: ct));
        var awards = await connection.QueryAsync<AwardRow>(new CommandDefinition(Awards,
            new { memberId, fromYear = from.Year, untilYear = until.Year }, transaction, cancellationToken: ct));
        return Of((int)row.Minutes, (int)row.EventsAttended, (int)row.Patrols, (int)row.PointsEarned,
            awards.Select(a => $"{a.Year}年度优秀红袖章会员（{a.ScopeName}）").ToList());
    }

    public static CertificateFigures Of(int minutes, int events, int patrols, int points, IReadOnlyList<string> awards) =>
        new(minutes, Math.Round(minutes / 60m, 1), events, patrols, points, awards);

    public static string StoredAwards(IReadOnlyList<string> awards) => JsonSerializer.Serialize(awards);

    public static IReadOnlyList<string> ReadAwards(string stored) => JsonSerializer.Deserialize<List<string>>(stored) ?? [];

    /// <summary>The first moment of a China day, as the UTC the database keeps.</summary>
    private static DateTime StartUtc(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).UtcDateTime;
}
