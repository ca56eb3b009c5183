using System.Text.Json;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <summary>
/// Applications as stored and answered. Whoever holds a role on the lead unit or above reads one (the district's admin
/// included); the lead unit's own staff write it; every change of state is recorded with who, when and the opinion.
/// </summary>
public static class NominationRows
{
    private const string SubDistrictAdmin = """
        (EXISTS (SELECT 1 FROM role_assignments accept_role
                 WHERE accept_role.user_id = @callerId AND accept_role.role = 'SubDistrictAdmin' AND accept_role.org_unit_id = a.sub_district_id))
        """;

    private const string Guides = """
        (EXISTS (SELECT 1 FROM role_assignments guide_role JOIN org_units guide_unit ON guide_unit.id = guide_role.org_unit_id
                 WHERE guide_role.user_id = @callerId AND guide_role.role IN ('VillageAdmin', 'SubDistrictAdmin', 'DistrictAdmin')
                   AND target.path LIKE CONCAT(guide_unit.path, '%')))
        """;

    private const string Columns = """
        SELECT a.id, a.campaign_id, c.year, a.category, a.sub_district_id, sd.name AS sub_district_name, a.lead_unit_id, target.name AS lead_unit_name,
               a.subject_key, a.subject_unit_id, a.subject_id, a.subject_name, a.status, a.content, a.activity_plan, a.lead_opinion, a.created_at,
               a.updated_at, a.submitted_at, a.review_progress, a.review_lead_opinion, a.review_evidence, a.review_sent_at, a.reviewing_opinion,
               a.accepted_at, a.decision_reason, a.decided_at,
        """ + " " + CampaignSubjectsApi.ActsFor + " AS can_edit, " + Guides + " AS can_guide, " + SubDistrictAdmin + " AS can_accept, "
        + CampaignRows.CallerManages + """
         AS can_decide
          FROM campaign_applications a
          JOIN campaigns c ON c.id = a.campaign_id
          JOIN org_units target ON target.id = a.lead_unit_id
          JOIN org_units sd ON sd.id = a.sub_district_id
        """;

    internal const string CallerReads = Scope.Sees;

    private const string ById = Columns + " WHERE a.id = @applicationId AND " + CallerReads;

    private const string ByIdForUpdate = ById + " FOR UPDATE";

    internal const string Page = """
        SELECT a.id, a.category, a.subject_name, a.sub_district_id, sd.name AS sub_district_name, target.name AS lead_unit_name, a.status, a.updated_at
          FROM campaign_applications a JOIN org_units target ON target.id = a.lead_unit_id JOIN org_units sd ON sd.id = a.sub_district_id
         WHERE a.campaign_id = @campaignId AND (@category IS NULL OR a.category = @category) AND (@status IS NULL OR a.status = @status)
           AND (@subDistrictId IS NULL OR a.sub_district_id = @subDistrictId) AND
        """ + " " + CallerReads + """
         ORDER BY sd.path,
               FIELD(a.category, 'Family', 'Grid', 'Property', 'Village', 'SubDistrict', 'Campus', 'Business', 'Hospital', 'Enterprise', 'Association'),
               a.id
         LIMIT @limit OFFSET @offset
        """;

    private const string Guidance = """
        SELECT id, kind, held_on, guided_by, topic, notes, photo_ids, created_at FROM campaign_guidance
         WHERE application_id = @applicationId ORDER BY held_on, id
        """;

    private const string ReviewItems = """
        SELECT s.id AS standard_id, s.number, s.text AS standard, i.progress, i.photo_ids
          FROM campaign_standards s
          JOIN campaign_applications a ON a.campaign_id = s.campaign_id AND a.category = s.category
          LEFT JOIN campaign_review_items i ON i.application_id = a.id AND i.standard_id = s.id
         WHERE a.id = @applicationId ORDER BY s.number
        """;

    private const string Changes = """
        SELECT from_status, to_status, opinion, by_user_id, at FROM campaign_changes WHERE application_id = @applicationId ORDER BY at, id
        """;

    private const string RecordChange = """
        INSERT INTO campaign_changes (application_id, from_status, to_status, opinion, by_user_id, at)
        VALUES (@applicationId, @from, @to, @opinion, @callerId, @now)
        """;

    private const string SetStatus = """
        UPDATE campaign_applications SET status = @to, open_marker = CASE WHEN @to = 'Withdrawn' THEN NULL ELSE 1 END, updated_at = @now
         WHERE id = @applicationId
        """;

    internal sealed class NominationRow
    {
        public long Id { get; init; }
        public long CampaignId { get; init; }
        public int Year { get; init; }
        public string Category { get; init; } = "";
        public long SubDistrictId { get; init; }
        public string SubDistrictName { get; init; } = "";
        public long LeadUnitId { get; init; }
        public string LeadUnitName { get; init; } = "";
        public string SubjectKey { get; init; } = "";
        public long? SubjectUnitId { get; init; }
        public long? SubjectId { get; init; }
        public string SubjectName { get; init; } = "";
        public string Status { get; init; } = "";
        public string Content { get; init; } = "";
        public string ActivityPlan { get; init; } = "";
        public string? LeadOpinion { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public DateTime? SubmittedAt { get; init; }
        public string? ReviewProgress { get; init; }
        public string? ReviewLeadOpinion { get; init; }
        public string? ReviewEvidence { get; init; }
        public DateTime? ReviewSentAt { get; init; }
        public string? ReviewingOpinion { get; init; }
        public DateTime? AcceptedAt { get; init; }
        public string? DecisionReason { get; init; }
        public DateTime? DecidedAt { get; init; }
        public bool CanEdit { get; init; }
        public bool CanGuide { get; init; }
        public bool CanAccept { get; init; }
        public bool CanDecide { get; init; }

        public CampaignCategory TheCategory => Enum.Parse<CampaignCategory>(Category);

        public NominationStatus TheStatus => Enum.Parse<NominationStatus>(Status);
    }

    internal sealed class SummaryRow
    {
        public long Id { get; init; }
        public string Category { get; init; } = "";
        public string SubjectName { get; init; } = "";
        public long SubDistrictId { get; init; }
        public string SubDistrictName { get; init; } = "";
        public string LeadUnitName { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime UpdatedAt { get; init; }

        public NominationSummary Summary() => new(Id, Enum.Parse<CampaignCategory>(Category), SubjectName, SubDistrictId, SubDistrictName, LeadUnitName,
            Enum.Parse<NominationStatus>(Status), UpdatedAt);
    }

    private sealed class GuidanceRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public DateTime HeldOn { get; init; }
        public string GuidedBy { get; init; } = "";
        public string Topic { get; init; } = "";
        public string? Notes { get; init; }
        public string PhotoIds { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    internal sealed class ReviewItemRow
    {
        public long StandardId { get; init; }
        public int Number { get; init; }
        public string Standard { get; init; } = "";
        public string? Progress { get; init; }
        public string? PhotoIds { get; init; }
    }

    private sealed class ChangeRow
    {
        public string? FromStatus { get; init; }
        public string ToStatus { get; init; } = "";
        public string? Opinion { get; init; }
        public long ByUserId { get; init; }
        public DateTime At { get; init; }
    }

    internal static Task<NominationRow?> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long applicationId, long callerId,
        CancellationToken ct, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<NominationRow>(new CommandDefinition(forUpdate ? ByIdForUpdate : ById, new { applicationId, callerId },
            transaction, cancellationToken: ct));

    internal static async Task<IReadOnlyList<ReviewItemRow>> ReviewItemsAsync(MySqlConnection connection, MySqlTransaction? transaction,
        long applicationId, CancellationToken ct) =>
        (await connection.QueryAsync<ReviewItemRow>(new CommandDefinition(ReviewItems, new { applicationId }, transaction, cancellationToken: ct))).ToList();

    internal static IReadOnlyList<string> Photos(string? stored) => (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    internal static async Task ChangeStatusAsync(MySqlConnection connection, MySqlTransaction transaction, long applicationId, NominationStatus? from,
        NominationStatus to, string? opinion, long callerId, DateTime now, CancellationToken ct)
    {
        var args = new { applicationId, from = from?.ToString(), to = to.ToString(), opinion, callerId, now };
        if (from is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(SetStatus, args, transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(RecordChange, args, transaction, cancellationToken: ct));
    }

    /// <summary>The whole application; the evidence counted now unless the review form was sent, when it stays as it was then.</summary>
    internal static async Task<NominationView> ViewAsync(MySqlConnection connection, MySqlTransaction? transaction, NominationRow row,
        DateTime now, CancellationToken ct)
    {
        var args = new { applicationId = row.Id };
        var guidance = await connection.QueryAsync<GuidanceRow>(new CommandDefinition(Guidance, args, transaction, cancellationToken: ct));
        var changes = await connection.QueryAsync<ChangeRow>(new CommandDefinition(Changes, args, transaction, cancellationToken: ct));
        ReviewView? review = null;
        if (row.TheStatus is not (NominationStatus.Draft or NominationStatus.Submitted or NominationStatus.Withdrawn))
        {
            var items = await ReviewItemsAsync(connection, transaction, row.Id, ct);
            var (found, at) = row.ReviewEvidence is { } frozen
                ? (JsonSerializer.Deserialize<List<EvidenceView>>(frozen)!, row.ReviewSentAt!.Value)
                : (await ReviewEvidence.CountAsync(connection, transaction, row, now, ct), now);
            review = new ReviewView(row.ReviewProgress, row.ReviewLeadOpinion,
                items.Select(i => new ReviewItemView(i.StandardId, i.Number, i.Standard, i.Progress, Photos(i.PhotoIds))).ToList(),
                found, at, row.ReviewSentAt, row.ReviewingOpinion, row.AcceptedAt);
        }
        return new NominationView(row.Id, row.CampaignId, row.Year, row.TheCategory, CampaignStandards.Name(row.TheCategory), row.SubDistrictId,
            row.SubDistrictName, row.LeadUnitId, row.LeadUnitName, row.SubjectName, row.SubjectUnitId, row.SubjectId, row.TheStatus, row.Content,
            row.ActivityPlan, row.LeadOpinion, row.CreatedAt, row.SubmittedAt, row.CanEdit, row.CanGuide, row.CanAccept, row.CanDecide,
            guidance.Select(g => new GuidanceView(g.Id, Enum.Parse<GuidanceKind>(g.Kind), DateOnly.FromDateTime(g.HeldOn), g.GuidedBy, g.Topic, g.Notes,
                Photos(g.PhotoIds), g.CreatedAt)).ToList(),
            review,
            row.DecidedAt is { } decidedAt ? new DecisionView(row.TheStatus == NominationStatus.Awarded, row.DecisionReason, decidedAt) : null,
            changes.Select(c => new ChangeView(c.FromStatus is null ? null : Enum.Parse<NominationStatus>(c.FromStatus),
                Enum.Parse<NominationStatus>(c.ToStatus), c.Opinion, c.ByUserId, c.At)).ToList());
    }
}
