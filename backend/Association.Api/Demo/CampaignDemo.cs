using Association.Api.Campaigns;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Dapper;
using MySqlConnector;

namespace Association.Api.Demo;

/// <summary>
/// The Ten Safeties campaign of the demo district, in its acceptance phase (验收): quotas for Datuopu, its lists
/// sent, grids, villages and the association nominated and guided, and two review forms in progress, so the review
/// forms, the system's evidence and the steps still to take can be tried at once.
/// </summary>
public static class CampaignDemo
{
    private const string District = "SELECT id FROM org_units WHERE code = 'TX'";

    private const string SubDistrict = "SELECT id FROM org_units WHERE code = 'TX-DTP'";

    private const string Villages = "SELECT id, name FROM org_units WHERE kind = 'Village' AND code LIKE 'TX-DTP-%' ORDER BY code LIMIT 2";

    private const string FirstGrids = """
        SELECT g.id, g.name, g.parent_id FROM org_units g
         WHERE g.kind = 'Grid' AND g.code LIKE 'TX-DTP-%' AND g.code LIKE '%-01' ORDER BY g.code LIMIT 4
        """;

    private const string Staff = "SELECT user_id FROM role_assignments WHERE role = 'SubDistrictAdmin' AND org_unit_id = @subDistrictId ORDER BY user_id LIMIT 1";

    private const string StaffUser = """
        INSERT INTO users (openid, status, created_at) VALUES ('demo-subdistrict-office', 'Active', @now)
        ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
        SELECT LAST_INSERT_ID();
        """;

    private const string Campaign = """
        INSERT INTO campaigns (district_id, year, title, issuing_body, mobilise_on, nominate_on, guide_on, accept_on, joint_review_on, created_by,
               created_at, updated_at)
        VALUES (@districtId, @year, @title, '长沙市天心区平安建设领导小组', @mobiliseOn, @nominateOn, @guideOn, @acceptOn, @jointReviewOn, NULL, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Standard = "INSERT INTO campaign_standards (campaign_id, category, number, text) VALUES (@campaignId, @category, @number, @text)";

    private const string Quota = """
        INSERT INTO campaign_quotas (campaign_id, sub_district_id, category, quota, set_by, set_at)
        VALUES (@campaignId, @subDistrictId, @category, @quota, @by, @at)
        """;

    private const string Application = """
        INSERT INTO campaign_applications (campaign_id, category, sub_district_id, lead_unit_id, subject_key, subject_unit_id, subject_id, subject_name,
               status, open_marker, content, activity_plan, lead_opinion, created_by, created_at, updated_at, submitted_at)
        VALUES (@campaignId, @category, @subDistrictId, @leadUnitId, @subjectKey, @subjectUnitId, NULL, @subjectName, 'Nominated', 1, @content,
                @activityPlan, '同意推荐申报。', @by, @draftedAt, @sentAt, @submittedAt);
        SELECT LAST_INSERT_ID();
        """;

    private const string Change = """
        INSERT INTO campaign_changes (application_id, from_status, to_status, opinion, by_user_id, at)
        VALUES (@applicationId, NULL, 'Draft', NULL, @by, @draftedAt),
               (@applicationId, 'Draft', 'Submitted', NULL, @by, @submittedAt),
               (@applicationId, 'Submitted', 'Nominated', NULL, @by, @sentAt)
        """;

    private const string List = """
        INSERT INTO campaign_lists (campaign_id, sub_district_id, category, nominated, sent_by, sent_at)
        VALUES (@campaignId, @subDistrictId, @category, @nominated, @by, @sentAt)
        """;

    private const string Guidance = """
        INSERT INTO campaign_guidance (application_id, kind, held_on, guided_by, topic, notes, photo_ids, created_by, created_at)
        VALUES (@applicationId, @kind, @heldOn, @guidedBy, @topic, @notes, '', @by, @at)
        """;

    private const string ReviewDraft = """
        UPDATE campaign_applications SET review_progress = @progress, review_lead_opinion = '同意申请验收。', updated_at = @at WHERE id = @applicationId;
        INSERT INTO campaign_review_items (application_id, standard_id, progress, photo_ids, updated_by, updated_at)
        SELECT @applicationId, s.id, @itemProgress, '', @by, @at FROM campaign_standards s
         WHERE s.campaign_id = @campaignId AND s.category = @category AND s.number IN (1, 7);
        """;

    private sealed record UnitRow(long Id, string Name, long ParentId);

    /// <summary>The year whose campaign is being accepted: in January and February still the last one, with the demo's work in it.</summary>
    public static int YearOn(DateOnly today) => today.AddDays(-60).Year;

    public static async Task<int> SeedAsync(MySqlConnection connection, TimeProvider time, CancellationToken ct)
    {
        var now = time.DbUtcNow();
        var today = time.Today();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var districtId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(District, transaction: transaction, cancellationToken: ct));
        var subDistrictId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrict, transaction: transaction, cancellationToken: ct));
        var by = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Staff, new { subDistrictId }, transaction, cancellationToken: ct))
            ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(StaffUser, new { now }, transaction, cancellationToken: ct));
        DateTime Day(int days) => today.AddDays(days).ToDateTime(TimeOnly.MinValue);
        DateTime At(int days) => now.AddDays(days);
        var year = YearOn(today);
        var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Campaign, new
        {
            districtId, year, title = $"{year}年“十大平安”创建", now,
            mobiliseOn = Day(-150), nominateOn = Day(-120), guideOn = Day(-60), acceptOn = Day(-10), jointReviewOn = Day(30),
        }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Standard, CampaignStandards.OfThePlan.SelectMany(c => c.Value.Select((text, i) => new
        {
            campaignId, category = c.Key.ToString(), number = i + 1, text,
        })), transaction, cancellationToken: ct));
        (CampaignCategory Category, int Quota)[] quotas = [(CampaignCategory.Grid, 2), (CampaignCategory.Village, 1), (CampaignCategory.Association, 1)];
        await connection.ExecuteAsync(new CommandDefinition(Quota, quotas.Select(q => new
        {
            campaignId, subDistrictId, category = q.Category.ToString(), quota = q.Quota, by, at = At(-125),
        }), transaction, cancellationToken: ct));

        var grids = (await connection.QueryAsync<UnitRow>(new CommandDefinition(FirstGrids, transaction: transaction, cancellationToken: ct))).ToList();
        var villages = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(Villages, transaction: transaction, cancellationToken: ct)))
            .ToList();
        var nominees = grids.Select(g => (CampaignCategory.Grid, g.Id, g.Name, g.ParentId, "网格治安平稳，红袖章会员常态化巡防，矛盾纠纷就地化解。"))
            .Concat(villages.Select(v => (CampaignCategory.Village, v.Id, v.Name, subDistrictId, "村综治中心规范运行，网格化管理全覆盖，协会会员积极参与平安创建。")))
            .Append((CampaignCategory.Association, subDistrictId, "大托铺街道平安创建协会", subDistrictId, "协会章程完善，会员积分制管理规范，红袖章会员持续壮大。"))
            .ToList();
        var applications = new List<(long Id, CampaignCategory Category)>();
        foreach (var (category, unitId, name, leadUnitId, content) in nominees)
        {
            var args = new
            {
                campaignId, category = category.ToString(), subDistrictId, leadUnitId, subjectKey = (category == CampaignCategory.Association ? "a:" : "u:") + unitId,
                subjectUnitId = unitId, subjectName = name, content, activityPlan = "一、每周组织红袖章巡防；二、每月排查矛盾纠纷和安全隐患；三、每季度开展平安宣传进小区活动。",
                by, draftedAt = At(-110), submittedAt = At(-100), sentAt = At(-65),
            };
            var applicationId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Application, args, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(Change, new { applicationId, by, args.draftedAt, args.submittedAt, args.sentAt }, transaction,
                cancellationToken: ct));
            applications.Add((applicationId, category));
        }
        await connection.ExecuteAsync(new CommandDefinition(List, applications.GroupBy(a => a.Category).Select(g => new
        {
            campaignId, subDistrictId, category = g.Key.ToString(), nominated = g.Count(), by, sentAt = At(-65),
        }), transaction, cancellationToken: ct));
        foreach (var (applicationId, category) in applications.Where(a => a.Category != CampaignCategory.Village))
        {
            await connection.ExecuteAsync(new CommandDefinition(Guidance, new
            {
                applicationId, kind = category == CampaignCategory.Association ? "StudyTour" : "SiteVisit", heldOn = Day(-40),
                guidedBy = "大托铺街道公共安全办", topic = category == CampaignCategory.Association ? "参观学习兄弟街道协会做法" : "查看网格巡防台账和宣传栏",
                notes = "台账基本齐全，建议补充活动照片。", by, at = At(-40),
            }, transaction, cancellationToken: ct));
        }
        foreach (var (applicationId, category) in new[] { applications[0], applications[^1] })
        {
            await connection.ExecuteAsync(new CommandDefinition(ReviewDraft, new
            {
                applicationId, campaignId, category = category.ToString(), by, at = At(-3),
                progress = "全年按计划开展巡防、宣传和矛盾纠纷排查，平安创建各项工作有序推进。", itemProgress = "已按标准落实，台账见附件。",
            }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return applications.Count;
    }
}
