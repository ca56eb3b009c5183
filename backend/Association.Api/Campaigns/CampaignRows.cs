using Dapper;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <summary>A campaign as stored, who may read it (a role anywhere in its district) and who manages it (its DistrictAdmin).</summary>
public static class CampaignRows
{
    /// <summary>The caller holds a role on the campaign's district or any unit inside it; the campaign is aliased <c>c</c>.</summary>
    internal const string CallerReads = """
        (EXISTS (SELECT 1 FROM role_assignments read_role JOIN org_units read_unit ON read_unit.id = read_role.org_unit_id
                  JOIN org_units read_district ON read_district.id = c.district_id
                 WHERE read_role.user_id = @callerId AND read_unit.path LIKE CONCAT(read_district.path, '%')))
        """;

    /// <summary>The caller is DistrictAdmin of the campaign's district.</summary>
    internal const string CallerManages = """
        (EXISTS (SELECT 1 FROM role_assignments manage_role
                 WHERE manage_role.user_id = @callerId AND manage_role.role = 'DistrictAdmin' AND manage_role.org_unit_id = c.district_id))
        """;

    private const string Columns = """
        SELECT c.id, c.district_id, d.name AS district_name, d.path AS district_path, c.year, c.title, c.issuing_body, c.mobilise_on, c.nominate_on, c.guide_on,
               c.accept_on, c.joint_review_on, c.results_published_at,
        """ + " " + CallerManages + """
         AS can_manage
          FROM campaigns c JOIN org_units d ON d.id = c.district_id
        """;

    internal const string ById = Columns + " WHERE c.id = @campaignId AND " + CallerReads;

    /// <summary>The campaign locked for a write that depends on its phase or its published results.</summary>
    internal const string ByIdForUpdate = ById + " FOR UPDATE";

    internal const string Page = Columns + " WHERE " + CallerReads + " AND (@year IS NULL OR c.year = @year) ORDER BY c.year DESC, c.id LIMIT 100";

    private const string Standards = """
        SELECT id, category, number, text FROM campaign_standards WHERE campaign_id = @campaignId ORDER BY number, id
        """;

    private const string Quotas = """
        SELECT q.sub_district_id, s.name AS sub_district_name, q.category, q.quota
          FROM campaign_quotas q JOIN org_units s ON s.id = q.sub_district_id
         WHERE q.campaign_id = @campaignId ORDER BY s.path, q.category
        """;

    internal sealed class CampaignRow
    {
        public long Id { get; init; }
        public long DistrictId { get; init; }
        public string DistrictName { get; init; } = "";
        public string DistrictPath { get; init; } = "";
        public int Year { get; init; }
        public string Title { get; init; } = "";
        public string IssuingBody { get; init; } = "";
        public DateTime MobiliseOn { get; init; }
        public DateTime NominateOn { get; init; }
        public DateTime GuideOn { get; init; }
        public DateTime AcceptOn { get; init; }
        public DateTime JointReviewOn { get; init; }
        public DateTime? ResultsPublishedAt { get; init; }
        public bool CanManage { get; init; }

        public CampaignPhases Phases => new(Day(MobiliseOn), Day(NominateOn), Day(GuideOn), Day(AcceptOn), Day(JointReviewOn));

        public CampaignPhase PhaseOn(DateOnly today) =>
            ResultsPublishedAt is not null ? CampaignPhase.Published
            : today >= Day(JointReviewOn) ? CampaignPhase.JointReview
            : today >= Day(AcceptOn) ? CampaignPhase.Acceptance
            : today >= Day(GuideOn) ? CampaignPhase.Guidance
            : today >= Day(NominateOn) ? CampaignPhase.Nomination
            : today >= Day(MobiliseOn) ? CampaignPhase.Mobilisation
            : CampaignPhase.NotStarted;

        public CampaignSummary Summary(DateOnly today) => new(Id, DistrictId, DistrictName, Year, Title, PhaseOn(today), ResultsPublishedAt);

        private static DateOnly Day(DateTime day) => DateOnly.FromDateTime(day);
    }

    private sealed class StandardRow
    {
        public long Id { get; init; }
        public string Category { get; init; } = "";
        public int Number { get; init; }
        public string Text { get; init; } = "";
    }

    private sealed class QuotaRow
    {
        public long SubDistrictId { get; init; }
        public string SubDistrictName { get; init; } = "";
        public string Category { get; init; } = "";
        public int Quota { get; init; }
    }

    internal static Task<CampaignRow?> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long campaignId, long callerId,
        CancellationToken ct, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(forUpdate ? ByIdForUpdate : ById, new { campaignId, callerId },
            transaction, cancellationToken: ct));

    internal static async Task<CampaignView> ViewAsync(MySqlConnection connection, MySqlTransaction? transaction, CampaignRow row, DateOnly today,
        CancellationToken ct)
    {
        var args = new { campaignId = row.Id };
        var standards = (await connection.QueryAsync<StandardRow>(new CommandDefinition(Standards, args, transaction, cancellationToken: ct)))
            .ToLookup(s => Enum.Parse<CampaignCategory>(s.Category));
        var quotas = await connection.QueryAsync<QuotaRow>(new CommandDefinition(Quotas, args, transaction, cancellationToken: ct));
        var categories = Enum.GetValues<CampaignCategory>()
            .Select(c => new CategoryView(c, (int)c, CampaignStandards.Name(c), standards[c].Select(s => new StandardView(s.Id, s.Number, s.Text)).ToList()))
            .ToList();
        return new CampaignView(row.Id, row.DistrictId, row.DistrictName, row.Year, row.Title, row.IssuingBody, row.Phases, row.PhaseOn(today), row.ResultsPublishedAt,
            row.CanManage, categories,
            quotas.Select(q =>
            {
                var category = Enum.Parse<CampaignCategory>(q.Category);
                return new QuotaView(q.SubDistrictId, q.SubDistrictName, category, q.Quota, CampaignStandards.Required(category, q.Quota));
            }).ToList());
    }
}
