using System.Security.Cryptography;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Demo;

/// <summary>
/// The sub-district's plan for this quarter (published, one item done) and two of its events: a patrol under way now,
/// with members of the first grid signed up and some checked in, so the check-in code and the attendance confirmation
/// can be tried at once; and a training next week with places left.
/// </summary>
public static class EventsDemo
{
    private const string SubDistrict = "SELECT id FROM org_units WHERE code = 'TX-DTP'";

    private const string Plan = """
        INSERT INTO work_plans (unit_id, quarter, title, goals, status, created_by, created_at, updated_at, published_by, published_at)
        VALUES (@unitId, @quarter, @title, '巡防全覆盖，隐患早发现，会员参保率达到百分之百', 'Published', @by, @now, @now, @by, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Item = """
        INSERT INTO work_plan_items (plan_id, title, owner, due_on, status, updated_by, updated_at)
        VALUES (@planId, @title, @owner, @dueOn, @status, @by, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Event = """
        INSERT INTO events (unit_id, kind, title, description, place, starts_at, ends_at, signup_deadline, capacity, waitlist_capacity, audience,
                            status, signed_up, qr_secret, plan_item_id, created_by, created_at)
        VALUES (@unitId, @kind, @title, @description, @place, @startsAt, @endsAt, @signupDeadline, @capacity, 5, 'Members', 'Open', @signedUp,
                @secret, @planItemId, @by, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Signup = """
        INSERT INTO event_signups (event_id, user_id, member_id, state, queued_at, checked_in_at, check_in_method)
        VALUES (@eventId, @userId, @memberId, 'Confirmed', @queuedAt, @checkedInAt, @method)
        """;

    /// <param name="members">Members of the first grid: (user, member).</param>
    public static async Task<int> SeedAsync(MySqlConnection connection, TimeProvider time, IReadOnlyList<(long UserId, long MemberId)> members, long by,
        CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var unitId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrict, cancellationToken: ct));
        var quarter = Quarter.Of(time.Today());
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var planId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Plan, new
        {
            unitId, quarter = quarter.ToString(), title = $"{quarter.Year}年第{quarter.Number}季度平安创建工作安排", by, now,
        }, transaction, cancellationToken: ct));
        (string Title, string Owner, string Status)[] items =
            [("夜间治安巡防", "大托铺街道综治办", "InProgress"), ("会员治安保险续保", "协会秘书处", "Done"), ("防诈骗宣传进小区", "各村网格长", "Planned")];
        var itemIds = new List<long>();
        foreach (var (title, owner, status) in items)
        {
            itemIds.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(Item, new
            {
                planId, title, owner, dueOn = quarter.LastDay, status, by, now,
            }, transaction, cancellationToken: ct)));
        }

        var underWay = members.Take(12).ToList();
        var patrol = await EventAsync(connection, transaction, unitId, "Patrol", "夜间治安联合巡防", "大托铺街道办事处门口集合", now.AddMinutes(-20),
            now.AddMinutes(100), 15, underWay.Count, itemIds[0], by, now, ct);
        foreach (var (member, i) in underWay.Select((m, i) => (m, i)))
        {
            await connection.ExecuteAsync(new CommandDefinition(Signup, new
            {
                eventId = patrol, member.UserId, member.MemberId, queuedAt = now.AddDays(-2).AddMinutes(i),
                checkedInAt = i % 2 == 0 ? now.AddMinutes(-25 + i) : (DateTime?)null, method = i % 2 == 0 ? "Code" : null,
            }, transaction, cancellationToken: ct));
        }
        var training = members.Skip(12).Take(6).ToList();
        var nextWeek = now.AddDays(7);
        var lesson = await EventAsync(connection, transaction, unitId, "Training", "红袖章会员消防技能培训", "大托铺街道社区服务中心二楼",
            nextWeek, nextWeek.AddHours(2), 30, training.Count, null, by, now, ct);
        foreach (var (member, i) in training.Select((m, i) => (m, i)))
        {
            await connection.ExecuteAsync(new CommandDefinition(Signup, new
            {
                eventId = lesson, member.UserId, member.MemberId, queuedAt = now.AddHours(-i - 1), checkedInAt = (DateTime?)null, method = (string?)null,
            }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return 2;
    }

    private static Task<long> EventAsync(MySqlConnection connection, MySqlTransaction transaction, long unitId, string kind, string title, string place,
        DateTime startsAt, DateTime endsAt, int capacity, int signedUp, long? planItemId, long by, DateTime now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(Event, new
        {
            unitId, kind, title, description = "请佩戴红袖章，准时到场签到", place, startsAt, endsAt, signupDeadline = startsAt.AddHours(-1), capacity,
            signedUp, secret = RandomNumberGenerator.GetBytes(32), planItemId, by, now = now.AddDays(-3),
        }, transaction, cancellationToken: ct));
}
