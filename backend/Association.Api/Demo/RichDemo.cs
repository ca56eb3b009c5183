using System.Globalization;
using Association.Api.GridReports;
using Association.Api.Insurance;
using Association.Api.Members;
using Association.Api.Notifications;
using Association.Api.Patrols;
using Association.Api.Platform;
using Association.Api.Platform.Crypto;
using Association.Api.Platform.Database;
using Association.Api.Points;
using Association.Api.Rankings;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Demo;

/// <summary>
/// A living demo association on the demo organisation (<c>seed-demo --rich</c>): members in every grid, a quarter of
/// patrols, reports in every state, publicity, an insurance policy with gaps, points through the real ledger, a computed
/// ranking, the year's Ten Safeties campaign in its acceptance phase, this quarter's plan and events, a points
/// catalogue with redemptions, and the notifications and to-dos that follow.
/// Deterministic (one seeded random), dated relative to now, and loaded once: a database that already has members is left alone.
/// </summary>
public sealed partial class RichDemo(MySqlDataSource db, FieldCipher cipher, IOptions<MembershipOptions> membership, TimeProvider time,
    IServiceProvider services, ILogger<RichDemo> logger)
{
    public const int MembersPerGrid = 20;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];

    private static readonly string[] GivenNames = ["建国", "秀英", "桂兰", "志强", "丽华", "海燕", "文军", "小红", "明辉", "春梅", "国庆", "玉兰", "德明", "淑珍", "伟", "芳", "敏", "静", "磊", "军"];

    private static readonly string[] Hazards = ["楼道堆放杂物，堵塞消防通道", "路灯损坏，夜间无照明", "电动车在楼道内充电", "井盖松动，存在安全隐患", "围墙开裂，有倒塌风险"];

    private static readonly string[] Disputes = ["邻里因漏水问题发生争执", "楼上噪音扰民引发矛盾", "停车位占用引发纠纷"];

    private const string HasMembers = "SELECT COUNT(*) FROM members";

    private const string Grids = """
        SELECT g.id, g.code, g.name, g.parent_id FROM org_units g WHERE g.kind = 'Grid' AND g.code LIKE 'TX-DTP-%' ORDER BY g.code
        """;

    private const string User = """
        INSERT INTO users (openid, status, created_at) VALUES (@openId, 'Active', @now)
        ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
        SELECT LAST_INSERT_ID();
        """;

    private const string Role = """
        INSERT INTO role_assignments (user_id, role, org_unit_id, assigned_by, assigned_at) VALUES (@userId, @role, @unitId, NULL, @now)
        ON DUPLICATE KEY UPDATE assigned_at = assigned_at;
        INSERT INTO role_changes (user_id, role, org_unit_id, change_kind, changed_by, changed_at) VALUES (@userId, @role, @unitId, 'Assigned', NULL, @now);
        """;

    private const string Suspend = """
        UPDATE members SET status = 'Suspended', updated_at = @at WHERE id = @memberId;
        INSERT INTO member_events (member_id, kind, reason, by_user_id, at) VALUES (@memberId, 'Suspended', @reason, @by, @at);
        """;

    private const string Patrol = """
        INSERT INTO patrols (grid_id, started_by, status, started_at, finished_at, decided_by, decided_at, decision_reason)
        VALUES (@gridId, @memberId, @status, @startedAt, @finishedAt, @decidedBy, @decidedAt, @reason);
        SELECT LAST_INSERT_ID();
        """;

    private const string Participate = """
        INSERT INTO patrol_members (patrol_id, member_id, in_progress_marker) VALUES (@patrolId, @memberId, NULL);
        INSERT INTO patrol_checkins (patrol_id, member_id, kind, at, lat, lng, photo_ref, note)
        VALUES (@patrolId, @memberId, 'Start', @startedAt, @lat, @lng, NULL, NULL),
               (@patrolId, @memberId, 'CheckIn', DATE_ADD(@startedAt, INTERVAL 30 MINUTE), @lat + 0.002, @lng, NULL, '巷口、楼道正常');
        SELECT id FROM patrol_members WHERE patrol_id = @patrolId;
        """;

    private const string Finish = """
        INSERT INTO patrol_checkins (patrol_id, member_id, kind, at, lat, lng, photo_ref, note)
        VALUES (@patrolId, @memberId, 'End', @finishedAt, @lat, @lng + 0.002, NULL, NULL)
        """;

    private const string Report = """
        INSERT INTO grid_reports (grid_id, reporter_user_id, reporter_member_id, kind, description, location_text, urgency, status, content_check,
                                  deadline_at, assigned_member_id, created_at, updated_at)
        VALUES (@gridId, @userId, @memberId, @kind, @text, @place, 'Normal', @status, 'Pass', @deadline, @assigned, @at, @at);
        SELECT LAST_INSERT_ID();
        """;

    private const string Publicity = """
        INSERT INTO publicity_works (member_id, grid_id, kind, title, outlet, happened_on, description, status, decided_by, decided_at, reason, created_at)
        VALUES (@memberId, @gridId, @kind, @title, @outlet, @day, @text, @status, @by, @decidedAt, @reason, @at);
        SELECT LAST_INSERT_ID();
        """;

    private const string Policy = """
        INSERT INTO insurance_policies (insurer, policy_number, unit_id, coverage_start, coverage_end, premium_per_person_cents, created_by, created_at)
        SELECT '中国人民财产保险', @number, id, @start, @end, 3000, @by, @now FROM org_units WHERE code = 'TX-DTP';
        SELECT LAST_INSERT_ID();
        """;

    private const string Cover = """
        INSERT INTO insurance_coverages (policy_id, member_id, kind, covered_from, added_by, added_at)
        SELECT @policyId, m.id, 'Purchase', @start, @by, @now FROM members m WHERE m.id IN @memberIds
        """;

    private sealed record GridRow(long Id, string Code, string Name, long ParentId);

    private sealed record Person(long UserId, long MemberId, long GridId, DateTime JoinedAt);

    private readonly Random _random = new(2026);

    /// <param name="leaderOpenId">Who signs in as the leader of the first grid (a simulator user), if anyone.</param>
    /// <param name="villageOpenId">Who signs in as the admin of its village, if anyone.</param>
    public async Task<bool> SeedAsync(string? leaderOpenId, string? villageOpenId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(HasMembers, cancellationToken: ct)) > 0)
        {
            LogStep(logger, "已有会员数据，保持不变", 0, 0);
            return false;
        }
        var now = time.DbUtcNow();
        var grids = (await connection.QueryAsync<GridRow>(new CommandDefinition(Grids, cancellationToken: ct))).ToList();
        var leaders = new Dictionary<long, long>();
        foreach (var grid in grids)
        {
            var openId = grid == grids[0] && leaderOpenId is not null ? leaderOpenId : $"demo-leader-{grid.Code}";
            leaders[grid.Id] = await UserAsync(connection, openId, now, ct);
            await connection.ExecuteAsync(new CommandDefinition(Role, new { userId = leaders[grid.Id], role = "GridLeader", unitId = grid.Id, now }, cancellationToken: ct));
        }
        if (villageOpenId is not null)
        {
            var villageAdmin = await UserAsync(connection, villageOpenId, now, ct);
            await connection.ExecuteAsync(new CommandDefinition(Role, new { userId = villageAdmin, role = "VillageAdmin", unitId = grids[0].ParentId, now }, cancellationToken: ct));
        }
        LogStep(logger, "网格长", leaders.Count, 1);

        var people = new List<Person>();
        foreach (var grid in grids)
        {
            people.AddRange(await MembersAsync(connection, grid, leaders[grid.Id], now, ct));
        }
        LogStep(logger, "会员", people.Count, 2);
        var pending = 0;
        foreach (var grid in grids.Take(4))
        {
            pending += await PendingApplicationsAsync(connection, grid, grid == grids[0] ? 4 : 1, now, ct);
        }
        LogStep(logger, "待审核入会申请", pending, 3);

        var patrols = 0;
        foreach (var person in people.Where((_, i) => i % 3 != 2))
        {
            patrols += await PatrolsAsync(connection, person, leaders[person.GridId], now, ct);
        }
        LogStep(logger, "巡防记录", patrols, 4);
        var reports = 0;
        foreach (var grid in grids)
        {
            reports += await ReportsAsync(connection, grid, people.Where(p => p.GridId == grid.Id).ToList(), leaders[grid.Id], now, ct);
        }
        LogStep(logger, "网格事件", reports, 5);
        var publicity = 0;
        foreach (var grid in grids)
        {
            publicity += await PublicityAsync(connection, grid, people.Where(p => p.GridId == grid.Id).ToList(), leaders[grid.Id], now, ct);
        }
        LogStep(logger, "宣传记录", publicity, 6);
        var covered = await InsuranceAsync(connection, people, leaders[grids[0].Id], now, ct);
        LogStep(logger, "参保会员", covered, 7);
        var nominated = await CampaignDemo.SeedAsync(connection, time, ct);
        LogStep(logger, "十大平安创建申报（验收阶段）", nominated, 8);
        var firstGrid = people.Where(p => p.GridId == grids[0].Id).Select(p => (p.UserId, p.MemberId)).ToList();
        var events = await EventsDemo.SeedAsync(connection, time, firstGrid, leaders[grids[0].Id], ct);
        LogStep(logger, "本季度工作安排与活动", events, 9);
        var redeemed = await RewardsDemo.SeedAsync(connection, time, firstGrid.Select(m => m.MemberId).ToList(), leaders[grids[0].Id], ct);
        LogStep(logger, "积分兑换", redeemed, 10);

        await services.GetRequiredService<RankingsJob>().RunAsync(ct);
        await services.GetRequiredService<InsuranceNoticesJob>().RunAsync(null, ct);
        await services.GetRequiredService<RemindersJob>().RunAsync(ct);
        LogStep(logger, "排名、保险提醒与待办提醒已生成", 3, 11);
        return true;
    }

    private async Task<long> UserAsync(MySqlConnection connection, string openId, DateTime now, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(User, new { openId, now }, cancellationToken: ct));

    private string Name() => Surnames[_random.Next(Surnames.Length)] + GivenNames[_random.Next(GivenNames.Length)];

    /// <summary>A made-up resident ID number of Changsha with a valid check digit.</summary>
    private string IdNumberFor(int serial)
    {
        var birth = new DateOnly(1955, 1, 1).AddDays(_random.Next(0, 365 * 45));
        var body = $"430103{birth:yyyyMMdd}{serial % 1000:D3}";
        return body + IdNumber.CheckCharacter(body);
    }

    /// <summary>An application as the applications API writes it (Pending), by a made-up resident.</summary>
    private async Task<long> ApplyAsync(MySqlConnection connection, MySqlTransaction transaction, long userId, GridRow grid, DateTime at, int serial,
        CancellationToken ct)
    {
        var data = PersonalData.Seal(cipher, $"139{_random.Next(10000000, 99999999)}", IdNumberFor(serial));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(ApplicationsApi.InsertApplication, new
        {
            callerId = userId, gridId = grid.Id, realName = Name(), data.PhoneCipher, data.PhoneKeyId, data.PhoneMasked, data.IdNumberCipher,
            data.IdNumberKeyId, data.IdNumberMasked, data.IdNumberHmac, address = $"{grid.Name}{_random.Next(1, 30)}栋{_random.Next(1, 6)}单元",
            roles = PersonalData.Roles([VolunteerRole.Patrol, VolunteerRole.Publicity]), noticeVersion = membership.Value.PrivacyNoticeVersion,
            notify = true, now = at,
        }, transaction, cancellationToken: ct));
    }

    /// <summary>The leader approves it with the statements approval runs: member, number, totals, history, decision.</summary>
    private static async Task<long> ApproveAsync(MySqlConnection connection, MySqlTransaction transaction, long applicationId, long gridId, long leader,
        DateTime at, CancellationToken ct)
    {
        var day = new DateTimeOffset(at, TimeSpan.Zero).ChinaDay();
        var memberId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ApplicationDecisionsApi.CreateMember,
            new { id = applicationId, callerId = leader, now = at, today = day.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(ApplicationDecisionsApi.NumberMember,
            new { memberId, year = day.Year, gridId, callerId = leader, now = at }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(ApplicationDecisionsApi.Decide,
            new { id = applicationId, status = nameof(ApplicationStatus.Approved), callerId = leader, now = at, reason = (string?)null }, transaction, cancellationToken: ct));
        return memberId;
    }

    private async Task<List<Person>> MembersAsync(MySqlConnection connection, GridRow grid, long leader, DateTime now, CancellationToken ct)
    {
        var people = new List<Person>();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        for (var i = 0; i < MembersPerGrid; i++)
        {
            var at = now.AddDays(-_random.Next(5, 150)).AddMinutes(-_random.Next(0, 600));
            var userId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(User, new { openId = $"demo-member-{grid.Code}-{i:D2}", now = at }, transaction, cancellationToken: ct));
            var applicationId = await ApplyAsync(connection, transaction, userId, grid, at.AddDays(-2), (int)(grid.Id * 100 + i), ct);
            var memberId = await ApproveAsync(connection, transaction, applicationId, grid.Id, leader, at, ct);
            if (i == MembersPerGrid - 1)
            {
                await connection.ExecuteAsync(new CommandDefinition(Suspend, new { memberId, at = now.AddDays(-3), by = leader, reason = "连续三个月未参加巡防，暂停会员资格" },
                    transaction, cancellationToken: ct));
                continue;
            }
            people.Add(new Person(userId, memberId, grid.Id, at));
        }
        await transaction.CommitAsync(ct);
        return people;
    }

    private async Task<int> PendingApplicationsAsync(MySqlConnection connection, GridRow grid, int count, DateTime now, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        for (var i = 0; i < count; i++)
        {
            var userId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(User, new { openId = $"demo-applicant-{grid.Code}-{i}", now }, transaction, cancellationToken: ct));
            await ApplyAsync(connection, transaction, userId, grid, now.AddDays(-i * 2).AddHours(-3), (int)(grid.Id * 100 + 50 + i), ct);
        }
        await transaction.CommitAsync(ct);
        return count;
    }

    private async Task<int> PatrolsAsync(MySqlConnection connection, Person person, long leader, DateTime now, CancellationToken ct)
    {
        var count = 0;
        for (var i = _random.Next(1, 6); i > 0; i--)
        {
            var started = now.AddDays(-_random.Next(0, 85)).Date.AddHours(_random.Next(0, 12)).AddMinutes(_random.Next(0, 60));
            if (started < person.JoinedAt || started > now.AddHours(-3))
            {
                continue;
            }
            var finished = started.AddMinutes(_random.Next(60, 130));
            var roll = _random.Next(100);
            var status = roll < 75 ? nameof(PatrolStatus.Confirmed) : roll < 93 ? nameof(PatrolStatus.Finished) : nameof(PatrolStatus.Rejected);
            var decided = status == nameof(PatrolStatus.Finished) ? (DateTime?)null : finished.AddHours(_random.Next(2, 30));
            if (decided > now)
            {
                (status, decided) = (nameof(PatrolStatus.Finished), null);
            }
            await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
            var patrolId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Patrol, new
            {
                person.GridId, person.MemberId, status, startedAt = started, finishedAt = finished, decidedBy = decided is null ? (long?)null : leader,
                decidedAt = decided, reason = status == nameof(PatrolStatus.Rejected) ? "轨迹与打卡照片不符，请补充说明" : null,
            }, transaction, cancellationToken: ct));
            var participationId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Participate, new
            {
                patrolId, person.MemberId, startedAt = started, lat = 28.07m + _random.Next(0, 100) / 10000m, lng = 112.98m + _random.Next(0, 100) / 10000m,
            }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(Finish, new
            {
                patrolId, person.MemberId, finishedAt = finished, lat = 28.07m, lng = 112.98m,
            }, transaction, cancellationToken: ct));
            if (status == nameof(PatrolStatus.Confirmed))
            {
                var occurred = new DateTimeOffset(started, TimeSpan.Zero);
                await PointsLedger.AwardAsync(connection, transaction, person.MemberId, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, participationId, 1, occurred, leader, decided!.Value, ct);
                await PointsLedger.AwardAsync(connection, transaction, person.MemberId, WorkKind.PatrolHour, AwardSourceKind.PatrolHour, participationId,
                    (int)(finished - started).TotalHours, occurred, leader, decided.Value, ct);
            }
            if (decided is not null)
            {
                await PatrolNotices.TellAsync(connection, transaction, [patrolId],
                    status == nameof(PatrolStatus.Confirmed) ? NotificationKind.PatrolConfirmed : NotificationKind.PatrolRejected, decided.Value, ct);
            }
            await transaction.CommitAsync(ct);
            count++;
        }
        return count;
    }

    private async Task<int> ReportsAsync(MySqlConnection connection, GridRow grid, List<Person> people, long leader, DateTime now, CancellationToken ct)
    {
        ReportStatus[] states = [ReportStatus.Submitted, ReportStatus.Submitted, ReportStatus.Accepted, ReportStatus.Assigned, ReportStatus.Resolved,
            ReportStatus.Closed, ReportStatus.Closed, ReportStatus.Rejected, ReportStatus.Held];
        foreach (var (status, i) in states.Select((s, i) => (s, i)))
        {
            var reporter = people[i % people.Count];
            var assigned = people[(i + 3) % people.Count];
            var dispute = i % 3 == 1;
            var kind = dispute ? ReportKind.Dispute : ReportKind.SafetyHazard;
            var at = now.AddDays(-_random.Next(0, 20)).AddHours(-_random.Next(1, 20));
            // Some open reports are past their deadline, so the overdue list and the reminders have something to show.
            var deadline = status is ReportStatus.Submitted or ReportStatus.Accepted or ReportStatus.Assigned && i % 2 == 0
                ? now.AddHours(-_random.Next(6, 80)) : at.Add(ReportWorkflow.Deadline(Urgency.Normal));
            await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Report, new
            {
                gridId = grid.Id, reporter.UserId, reporter.MemberId, kind = kind.ToString(),
                text = dispute ? Disputes[_random.Next(Disputes.Length)] : Hazards[_random.Next(Hazards.Length)],
                place = $"{grid.Name}{_random.Next(1, 30)}栋", status = status.ToString(), deadline,
                assigned = status is ReportStatus.Assigned or ReportStatus.Resolved or ReportStatus.Closed ? assigned.MemberId : (long?)null, at,
            }, transaction, cancellationToken: ct));
            var from = ReportStatus.Submitted;
            foreach (var step in Path(status))
            {
                await connection.ExecuteAsync(new CommandDefinition(GridReportsApi.RecordTransition, new
                {
                    id, from = from.ToString(), to = step.ToString(), callerId = leader, note = step == ReportStatus.Rejected ? "经核实不属实" : "已处理", now = at.AddHours(1),
                }, transaction, cancellationToken: ct));
                await ReportNotices.TellAsync(connection, transaction, id, reporter.UserId, kind, at, step, "已处理", at.AddHours(1), ct);
                from = step;
            }
            if (status is ReportStatus.Accepted or ReportStatus.Assigned or ReportStatus.Resolved or ReportStatus.Closed)
            {
                await PointsLedger.AwardAsync(connection, transaction, reporter.MemberId, ReportWorkflow.AcceptedWork(kind), AwardSourceKind.GridReport, id, 1,
                    new DateTimeOffset(at, TimeSpan.Zero), leader, at.AddHours(1), ct);
            }
            if (dispute && status is ReportStatus.Resolved or ReportStatus.Closed)
            {
                await PointsLedger.AwardAsync(connection, transaction, assigned.MemberId, WorkKind.DisputeResolved, AwardSourceKind.DisputeResolved, id, 1,
                    new DateTimeOffset(at, TimeSpan.Zero), leader, at.AddHours(2), ct);
            }
            await transaction.CommitAsync(ct);
        }
        return states.Length;
    }

    private static IEnumerable<ReportStatus> Path(ReportStatus status) => status switch
    {
        ReportStatus.Accepted => [ReportStatus.Accepted],
        ReportStatus.Assigned => [ReportStatus.Accepted, ReportStatus.Assigned],
        ReportStatus.Resolved => [ReportStatus.Accepted, ReportStatus.Assigned, ReportStatus.Resolved],
        ReportStatus.Closed => [ReportStatus.Accepted, ReportStatus.Assigned, ReportStatus.Resolved, ReportStatus.Closed],
        ReportStatus.Rejected => [ReportStatus.Rejected],
        _ => [],
    };

    private async Task<int> PublicityAsync(MySqlConnection connection, GridRow grid, List<Person> people, long leader, DateTime now, CancellationToken ct)
    {
        (string Kind, string Title, string Status)[] works =
        [
            ("Event", "反诈骗宣传进小区", "Published"), ("Article", "平安天心V：红袖章巡逻队的一天", "Published"),
            ("Event", "消防安全知识讲座", "Submitted"), ("Article", "网格里的暖心调解", "Rejected"),
        ];
        foreach (var (work, i) in works.Select((w, i) => (w, i)))
        {
            var author = people[(i * 5) % people.Count];
            var day = ChinaDay(now.AddDays(-_random.Next(1, 40)));
            var decided = work.Status == "Submitted" ? (DateTime?)null : day.AddDays(1);
            await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Publicity, new
            {
                author.MemberId, gridId = grid.Id, kind = work.Kind, title = work.Title, outlet = work.Kind == "Article" ? "平安天心V" : null, day,
                text = "组织居民参与平安创建宣传活动", status = work.Status, by = decided is null ? (long?)null : leader, decidedAt = decided,
                reason = work.Status == "Rejected" ? "内容与已发布稿件重复" : null, at = day,
            }, transaction, cancellationToken: ct));
            if (work.Status == "Published")
            {
                await PointsLedger.AwardAsync(connection, transaction, author.MemberId, WorkKind.PublicityPublished, AwardSourceKind.Publicity, id, 1,
                    new DateTimeOffset(day.AddHours(4), TimeSpan.Zero), leader, decided!.Value, ct);
            }
            await transaction.CommitAsync(ct);
        }
        return works.Length;
    }

    /// <summary>A policy for the sub-district ending in three weeks, covering members who joined early; newer ones wait.</summary>
    private async Task<int> InsuranceAsync(MySqlConnection connection, List<Person> people, long by, DateTime now, CancellationToken ct)
    {
        var today = time.Today();
        var start = today.AddDays(-340).ToDateTime(TimeOnly.MinValue);
        var end = today.AddDays(21).ToDateTime(TimeOnly.MinValue);
        var memberIds = people.Where(p => p.JoinedAt < now.AddDays(-40)).Select(p => p.MemberId).ToList();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var policyId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Policy, new
        {
            number = $"PICC-DTP-{today.Year - 1}-001", start, end, by, now,
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Cover, new { policyId, memberIds, start, by, now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return memberIds.Count;
    }

    private static DateTime ChinaDay(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ChinaDay().ToDateTime(TimeOnly.MinValue);

    [LoggerMessage(LogLevel.Information, "[{Step}/11] {What}: {Count}")]
    private static partial void LogStep(ILogger logger, string what, int count, int step);
}
