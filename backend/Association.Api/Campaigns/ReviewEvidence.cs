using System.Globalization;
using Association.Api.Platform;
using Dapper;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <summary>
/// What the system already knows about a nominee's standards, counted over the campaign's year in China time up to
/// now: for a grid (standards 2.1, 2.2, 2.7, 2.8), a village (4.2) and the association (10.1–10.4). Other categories
/// have nothing the system records, and their forms carry only what the unit writes.
/// </summary>
public static class ReviewEvidence
{
    private const string GridFigures = """
        SELECT (SELECT households FROM org_units WHERE id = @unitId) AS households,
               (SELECT COUNT(*) FROM members WHERE grid_id = @unitId AND status = 'Active') AS members,
               (SELECT COUNT(*) FROM patrols WHERE grid_id = @unitId AND status = 'Confirmed' AND started_at >= @from AND started_at < @until) AS patrols,
               (SELECT CAST(COALESCE(SUM(TIMESTAMPDIFF(MINUTE, started_at, finished_at)), 0) AS SIGNED) FROM patrols
                 WHERE grid_id = @unitId AND status = 'Confirmed' AND started_at >= @from AND started_at < @until) AS patrol_minutes,
               (SELECT COUNT(*) FROM grid_reports WHERE grid_id = @unitId AND kind = 'Dispute' AND created_at >= @from AND created_at < @until) AS disputes,
               (SELECT COUNT(DISTINCT t.report_id) FROM grid_report_transitions t JOIN grid_reports r ON r.id = t.report_id
                 WHERE r.grid_id = @unitId AND r.kind = 'Dispute' AND t.to_status = 'Resolved' AND t.at >= @from AND t.at < @until) AS disputes_resolved,
               (SELECT COUNT(*) FROM publicity_works WHERE grid_id = @unitId AND status = 'Published' AND kind = 'Event'
                   AND happened_on >= @fromDay AND happened_on < @untilDay) AS publicity_events,
               (SELECT COUNT(*) FROM publicity_works WHERE grid_id = @unitId AND status = 'Published' AND kind = 'Article'
                   AND happened_on >= @fromDay AND happened_on < @untilDay) AS articles,
               (SELECT COALESCE(MAX(target_permille), 200) FROM coverage_targets WHERE sub_district_id = @subDistrictId) AS target_permille
        """;

    private const string VillageFigures = """
        SELECT CAST(COALESCE(SUM(g.households), 0) AS SIGNED) AS households,
               (SELECT COUNT(*) FROM members m JOIN org_units mg ON mg.id = m.grid_id JOIN org_units v ON v.id = @unitId
                 WHERE m.status = 'Active' AND mg.path LIKE CONCAT(v.path, '%')) AS members,
               (SELECT COALESCE(MAX(target_permille), 200) FROM coverage_targets WHERE sub_district_id = @subDistrictId) AS target_permille
          FROM org_units g JOIN org_units v ON v.id = @unitId WHERE g.kind = 'Grid' AND g.path LIKE CONCAT(v.path, '%')
        """;

    private const string UnitsBeneath = "u.path LIKE CONCAT((SELECT path FROM org_units WHERE id = @unitId), '%')";

    private const string AssociationFigures = """
        SELECT (SELECT COUNT(*) FROM work_plans WHERE unit_id = @unitId AND quarter LIKE CONCAT(@year, 'Q%') AND status = 'Published') AS plans,
               (SELECT COUNT(*) FROM work_plans WHERE unit_id = @unitId AND quarter LIKE CONCAT(@year, 'Q%') AND reviewed_at IS NOT NULL) AS plan_reviews,
               (SELECT COUNT(DISTINCT work_kind) FROM point_rules WHERE sub_district_id = @unitId) AS point_rule_kinds,
               (SELECT COUNT(*) FROM award_rules WHERE sub_district_id = @unitId AND year = @year) AS award_rules,
               (SELECT COALESCE(MAX(target), 0) FROM recruitment_targets WHERE org_unit_id = @unitId AND year = @year) AS recruitment_target,
               (SELECT COUNT(*) FROM members m JOIN org_units u ON u.id = m.grid_id
                 WHERE m.joined_on >= @fromDay AND m.joined_on < @untilDay AND
        """ + " " + UnitsBeneath + """
        ) AS recruited,
               (SELECT COUNT(*) FROM members m JOIN org_units u ON u.id = m.grid_id WHERE m.status = 'Active' AND
        """ + " " + UnitsBeneath + """
        ) AS members,
               (SELECT COUNT(*) FROM members m JOIN org_units u ON u.id = m.grid_id WHERE m.status = 'Active' AND
        """ + " " + UnitsBeneath + """
                   AND EXISTS (SELECT 1 FROM insurance_coverages ic JOIN insurance_policies ip ON ip.id = ic.policy_id
                                WHERE ic.member_id = m.id AND ic.covered_from <= @today AND ip.coverage_start <= @today AND ip.coverage_end >= @today)
        ) AS insured,
               (SELECT COUNT(*) FROM grid_reports r JOIN org_units u ON u.id = r.grid_id
                 WHERE r.kind = 'SafetyHazard' AND r.created_at >= @from AND r.created_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS hazards,
               (SELECT COUNT(*) FROM grid_reports r JOIN org_units u ON u.id = r.grid_id
                 WHERE r.kind = 'InformationCollected' AND r.created_at >= @from AND r.created_at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS information,
               (SELECT COUNT(DISTINCT t.report_id) FROM grid_report_transitions t JOIN grid_reports r ON r.id = t.report_id JOIN org_units u ON u.id = r.grid_id
                 WHERE r.kind = 'Dispute' AND t.to_status = 'Resolved' AND t.at >= @from AND t.at < @until AND
        """ + " " + UnitsBeneath + """
        ) AS disputes_resolved,
               (SELECT COUNT(*) FROM publicity_works w JOIN org_units u ON u.id = w.grid_id
                 WHERE w.status = 'Published' AND w.kind = 'Event' AND w.happened_on >= @fromDay AND w.happened_on < @untilDay AND
        """ + " " + UnitsBeneath + """
        ) AS publicity_events,
               (SELECT COUNT(*) FROM publicity_works w JOIN org_units u ON u.id = w.grid_id
                 WHERE w.status = 'Published' AND w.kind = 'Article' AND w.outlet = '平安天心V' AND w.happened_on >= @fromDay AND w.happened_on < @untilDay AND
        """ + " " + UnitsBeneath + """
        ) AS tianxin_articles,
               (SELECT COUNT(*) FROM publicity_works w JOIN org_units u ON u.id = w.grid_id
                 WHERE w.status = 'Published' AND w.kind = 'Article' AND w.happened_on >= @fromDay AND w.happened_on < @untilDay AND
        """ + " " + UnitsBeneath + """
        ) AS articles
        """;

    private sealed class CoverageRow
    {
        public long Households { get; init; }
        public long Members { get; init; }
        public long TargetPermille { get; init; }
        public long Patrols { get; init; }
        public long PatrolMinutes { get; init; }
        public long Disputes { get; init; }
        public long DisputesResolved { get; init; }
        public long PublicityEvents { get; init; }
        public long Articles { get; init; }
    }

    private sealed class AssociationRow
    {
        public long Plans { get; init; }
        public long PlanReviews { get; init; }
        public long PointRuleKinds { get; init; }
        public long AwardRules { get; init; }
        public long RecruitmentTarget { get; init; }
        public long Recruited { get; init; }
        public long Members { get; init; }
        public long Insured { get; init; }
        public long Hazards { get; init; }
        public long Information { get; init; }
        public long DisputesResolved { get; init; }
        public long PublicityEvents { get; init; }
        public long TianxinArticles { get; init; }
        public long Articles { get; init; }
    }

    internal static async Task<List<EvidenceView>> CountAsync(MySqlConnection connection, MySqlTransaction? transaction, NominationRows.NominationRow row,
        DateTime now, CancellationToken ct)
    {
        if (row.SubjectUnitId is not { } unitId || row.TheCategory is not (CampaignCategory.Grid or CampaignCategory.Village or CampaignCategory.Association))
        {
            return [];
        }
        var firstDay = new DateOnly(row.Year, 1, 1);
        var from = firstDay.ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset;
        var until = new[] { firstDay.AddYears(1).ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset, now }.Min();
        var today = DateOnly.FromDateTime(now + ChinaTime.Offset);
        var args = new
        {
            unitId, subDistrictId = row.SubDistrictId, year = row.Year.ToString(CultureInfo.InvariantCulture), from, until,
            fromDay = from + ChinaTime.Offset, untilDay = (until + ChinaTime.Offset).Date.AddDays(1), today = today.ToDateTime(TimeOnly.MinValue),
        };
        switch (row.TheCategory)
        {
            case CampaignCategory.Grid:
                var grid = await connection.QuerySingleAsync<CoverageRow>(new CommandDefinition(GridFigures, args, transaction, cancellationToken: ct));
                return
                [
                    Coverage(1, grid),
                    new(2, "矛盾纠纷排查调处", $"本年度上报矛盾纠纷 {grid.Disputes} 件，已办结 {grid.DisputesResolved} 件", grid.DisputesResolved, null, null),
                    new(7, "定期巡防、巡查记录", $"本年度已确认巡防记录 {grid.Patrols} 次，共 {Hours(grid.PatrolMinutes)} 小时", grid.Patrols, null, null),
                    new(8, "平安宣传", $"本年度开展平安宣传活动 {grid.PublicityEvents} 次，投稿 {grid.Articles} 篇", grid.PublicityEvents + grid.Articles, null,
                        null),
                ];
            case CampaignCategory.Village:
                var village = await connection.QuerySingleAsync<CoverageRow>(new CommandDefinition(VillageFigures, args, transaction, cancellationToken: ct));
                return [Coverage(2, village, "平安创建协会会员占住户比例")];
            default:
                var a = await connection.QuerySingleAsync<AssociationRow>(new CommandDefinition(AssociationFigures, args, transaction, cancellationToken: ct));
                return
                [
                    new(1, "季度工作安排及定期总结", $"本年度发布季度工作安排 {a.Plans} 个，完成季度总结 {a.PlanReviews} 个", a.Plans, 4, a.Plans >= 4),
                    new(1, "会员积分制管理办法及评先评优标准",
                        $"积分规则覆盖 {a.PointRuleKinds} 类工作；本年度评先评优标准{(a.AwardRules > 0 ? "已制定" : "未制定")}", a.PointRuleKinds, null,
                        a.PointRuleKinds > 0 && a.AwardRules > 0),
                    new(2, "全年发展会员目标", a.RecruitmentTarget > 0
                            ? $"全年目标 {a.RecruitmentTarget} 人，本年度已发展会员 {a.Recruited} 人"
                            : $"未设定全年目标，本年度已发展会员 {a.Recruited} 人",
                        a.Recruited, a.RecruitmentTarget > 0 ? a.RecruitmentTarget : null, a.RecruitmentTarget > 0 ? a.Recruited >= a.RecruitmentTarget : null),
                    new(2, "注册会员治安保险", $"在册会员 {a.Members} 人，当前在保 {a.Insured} 人", a.Insured, a.Members, a.Insured >= a.Members),
                    new(3, "发挥“五大员”作用",
                        $"本年度开展宣传活动 {a.PublicityEvents} 次，收集网格信息 {a.Information} 条，排查安全隐患 {a.Hazards} 处，化解矛盾纠纷 {a.DisputesResolved} 件",
                        a.PublicityEvents + a.Information + a.Hazards + a.DisputesResolved, null, null),
                    new(4, "平安宣传报道", $"本年度向“平安天心V”投稿 {a.TianxinArticles} 篇，宣传报道共 {a.Articles} 篇", a.TianxinArticles, null, null),
                ];
        }
    }

    private static EvidenceView Coverage(int number, CoverageRow row, string measure = "红袖章会员数占住户比例")
    {
        var target = (row.Households * row.TargetPermille + 999) / 1000;
        var share = row.Households == 0 ? "—" : (100m * row.Members / row.Households).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var goal = (row.TargetPermille / 10m).ToString("0.#", CultureInfo.InvariantCulture);
        return new EvidenceView(number, measure, $"红袖章会员 {row.Members} 人，住户 {row.Households} 户，占 {share}（目标 {goal}%，即 {target} 人）",
            row.Members, target, row.Members >= target);
    }

    private static string Hours(long minutes) => (minutes / 60m).ToString("0.#", CultureInfo.InvariantCulture);
}
