using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <summary>
/// The district's joint review (区平安建设领导小组联审): its DistrictAdmin sees every sub-district's accepted applications
/// per category, decides awarded or not with a reason, within each sub-district's quota, and publishes the list; the
/// decisions are final from then on and the plaques can be printed.
/// </summary>
public static class JointReviewApi
{
    public static RouteGroupBuilder MapJointReviewApi(this RouteGroupBuilder campaigns)
    {
        campaigns.MapGet("/{campaignId}/joint-review", GetJointReview)
            .WithSummary("Accepted applications per sub-district and category with the quota and the decisions so far (DistrictAdmin)")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapPost("/{campaignId}/results/publish", PublishResults)
            .WithSummary("Publish the awarded list once every accepted application is decided (DistrictAdmin)")
            .Idempotent()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return campaigns;
    }

    public static RouteGroupBuilder MapDecisionApi(this RouteGroupBuilder applications)
    {
        applications.MapPost("/{applicationId}/decision", Decide)
            .WithSummary("Decide an accepted application in the joint review: awarded (within the quota) or not, with a reason (DistrictAdmin)")
            .Idempotent()
            .ProducesStepProblems();
        return applications;
    }

    private const string Groups = """
        SELECT a.id, a.category, a.subject_name, a.sub_district_id, sd.name AS sub_district_name, target.name AS lead_unit_name, a.status, a.updated_at
          FROM campaign_applications a JOIN org_units target ON target.id = a.lead_unit_id JOIN org_units sd ON sd.id = a.sub_district_id
         WHERE a.campaign_id = @campaignId AND a.status IN ('Accepted', 'Awarded', 'NotAwarded')
         ORDER BY sd.path, a.category, a.id
        """;

    private const string Quotas = """
        SELECT q.sub_district_id, s.name AS sub_district_name, q.category, q.quota
          FROM campaign_quotas q JOIN org_units s ON s.id = q.sub_district_id WHERE q.campaign_id = @campaignId
        """;

    private const string AwardedOthers = """
        SELECT COUNT(*) FROM campaign_applications
         WHERE campaign_id = @campaignId AND sub_district_id = @subDistrictId AND category = @category AND status = 'Awarded' AND id <> @applicationId
        """;

    private const string Quota = """
        SELECT COALESCE(MAX(quota), 0) FROM campaign_quotas WHERE campaign_id = @campaignId AND sub_district_id = @subDistrictId AND category = @category
        """;

    private const string Decided = """
        UPDATE campaign_applications SET decision_reason = @reason, decided_at = @now, updated_at = @now WHERE id = @applicationId
        """;

    private const string Undecided = "SELECT COUNT(*) FROM campaign_applications WHERE campaign_id = @campaignId AND status = 'Accepted'";

    private const string Publish = """
        UPDATE campaigns SET results_published_by = @callerId, results_published_at = @now, updated_at = @now WHERE id = @campaignId
        """;

    private sealed class QuotaRow
    {
        public long SubDistrictId { get; init; }
        public string SubDistrictName { get; init; } = "";
        public string Category { get; init; } = "";
        public int Quota { get; init; }
    }

    public static async Task<Results<Ok<JointReviewView>, ProblemHttpResult>> GetJointReview(long campaignId, HttpContext http, MySqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var campaign = await CampaignRows.ReadAsync(connection, null, campaignId, http.User.UserId(), ct);
        if (campaign is null)
        {
            return Problems.NotFound("campaigns.campaign.notFound");
        }
        return campaign.CanManage
            ? TypedResults.Ok(await ViewAsync(connection, null, campaign, time.Today(), ct))
            : Problems.Forbidden("campaigns.jointReview.notDistrict");
    }

    private static async Task<JointReviewView> ViewAsync(MySqlConnection connection, MySqlTransaction? transaction, CampaignRows.CampaignRow campaign,
        DateOnly today, CancellationToken ct)
    {
        var args = new { campaignId = campaign.Id };
        var applications = (await connection.QueryAsync<NominationRows.SummaryRow>(new CommandDefinition(Groups, args, transaction, cancellationToken: ct)))
            .Select(r => r.Summary()).ToList();
        var quotas = (await connection.QueryAsync<QuotaRow>(new CommandDefinition(Quotas, args, transaction, cancellationToken: ct)))
            .ToDictionary(q => (q.SubDistrictId, Enum.Parse<CampaignCategory>(q.Category)));
        var groups = applications.GroupBy(a => (a.SubDistrictId, a.Category)).Select(g =>
        {
            var quota = quotas.GetValueOrDefault(g.Key)?.Quota ?? 0;
            return new JointReviewGroup(g.Key.SubDistrictId, g.First().SubDistrictName, g.Key.Category, CampaignStandards.Name(g.Key.Category), quota,
                g.Count(a => a.Status == NominationStatus.Awarded), g.ToList());
        }).ToList();
        return new JointReviewView(campaign.Id, campaign.PhaseOn(today), campaign.ResultsPublishedAt,
            applications.Count(a => a.Status == NominationStatus.Accepted), groups);
    }

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> Decide(long applicationId, DecisionRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Decider, [CampaignPhase.JointReview],
            [NominationStatus.Accepted, NominationStatus.Awarded, NominationStatus.NotAwarded], async (step, row) =>
            {
                var args = new { campaignId = row.CampaignId, subDistrictId = row.SubDistrictId, category = row.Category, applicationId };
                if (request.Awarded == true)
                {
                    var quota = await step.Connection.ExecuteScalarAsync<long>(new CommandDefinition(Quota, args, step.Transaction, cancellationToken: ct));
                    var awarded = await step.Connection.ExecuteScalarAsync<long>(new CommandDefinition(AwardedOthers, args, step.Transaction,
                        cancellationToken: ct));
                    if (awarded >= quota)
                    {
                        return Problems.Conflict("campaigns.decision.overQuota", row.TheCategory, quota);
                    }
                }
                var reason = NominationsApi.Trimmed(request.Reason);
                await step.Connection.ExecuteAsync(new CommandDefinition(Decided, new { applicationId, reason, now = step.Now }, step.Transaction,
                    cancellationToken: ct));
                await step.MoveAsync(row, request.Awarded == true ? NominationStatus.Awarded : NominationStatus.NotAwarded, reason);
                return null;
            });

    public static async Task<Results<Ok<JointReviewView>, ProblemHttpResult>> PublishResults(long campaignId, HttpContext http, MySqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Claimed first: a retry of a write that committed gets its answer back, whatever the write changed since.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var campaign = await CampaignRows.ReadAsync(connection, transaction, campaignId, callerId, ct, forUpdate: true);
        if (campaign is null)
        {
            return Problems.NotFound("campaigns.campaign.notFound");
        }
        if (!campaign.CanManage)
        {
            return Problems.Forbidden("campaigns.jointReview.notDistrict");
        }
        if (campaign.PhaseOn(time.Today()) is var phase and not CampaignPhase.JointReview)
        {
            return Problems.Conflict(phase == CampaignPhase.Published ? "campaigns.results.published" : "campaigns.phase.closed", phase);
        }
        var undecided = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Undecided, new { campaignId }, transaction, cancellationToken: ct));
        if (undecided > 0)
        {
            return Problems.Conflict("campaigns.results.undecided", undecided);
        }
        await connection.ExecuteAsync(new CommandDefinition(Publish, new { campaignId, callerId, now = time.DbUtcNow() }, transaction, cancellationToken: ct));
        var published = (await CampaignRows.ReadAsync(connection, transaction, campaignId, callerId, ct))!;
        var view = await ViewAsync(connection, transaction, published, time.Today(), ct);
        return await IdempotentWrite.CommitOkAsync(http, connection, transaction, view, ct);
    }
}
