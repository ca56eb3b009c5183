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
/// A sub-district's recommended list per category (推荐申报名单), sent to the district by its SubDistrictAdmin in the
/// nomination phase, once it holds at least twice the category's award quota (section 5.2 of the plan).
/// </summary>
public static class CampaignListsApi
{
    public const string Rule = "按照不低于表彰名额2倍的要求推荐申报；平安街道、平安创建协会每个街道各推荐1个";

    public static RouteGroupBuilder MapCampaignListsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{campaignId}/lists/{subDistrictId}", GetSubDistrictList)
            .WithSummary("A sub-district's list per category: quota, required nominees, submitted, sent")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{campaignId}/lists/{subDistrictId}/{category}/send", SendList)
            .WithSummary("Send a category's list to the district (SubDistrictAdmin): at least twice the quota, in the nomination phase")
            .Idempotent()
            .ProducesStepProblems();
        return api;
    }

    private const string SubDistrict = """
        SELECT target.name, target.path,
        """ + " " + Scope.SubDistrictAdminOf + """
         AS sub_district_admin
          FROM org_units target WHERE target.id = @subDistrictId AND target.kind = 'SubDistrict' AND
        """ + " " + Scope.Sees;

    private const string Counts = """
        SELECT a.category, SUM(a.status = 'Draft') AS drafts, SUM(a.status NOT IN ('Draft', 'Withdrawn')) AS submitted
          FROM campaign_applications a
         WHERE a.campaign_id = @campaignId AND a.sub_district_id = @subDistrictId GROUP BY a.category
        """;

    private const string Quotas = "SELECT category, quota FROM campaign_quotas WHERE campaign_id = @campaignId AND sub_district_id = @subDistrictId";

    private const string Sent = """
        SELECT category, sent_at, nominated FROM campaign_lists WHERE campaign_id = @campaignId AND sub_district_id = @subDistrictId
        """;

    private const string SubmittedOfCategory = """
        SELECT id FROM campaign_applications
         WHERE campaign_id = @campaignId AND sub_district_id = @subDistrictId AND category = @category AND status = 'Submitted' FOR UPDATE
        """;

    private const string InsertList = """
        INSERT INTO campaign_lists (campaign_id, sub_district_id, category, nominated, sent_by, sent_at)
        VALUES (@campaignId, @subDistrictId, @category, @nominated, @callerId, @now)
        """;

    private sealed class SubDistrictRow
    {
        public string Name { get; init; } = "";
        public string Path { get; init; } = "";
        public bool SubDistrictAdmin { get; init; }
    }

    private sealed class CountRow
    {
        public string Category { get; init; } = "";
        public int Drafts { get; init; }
        public int Submitted { get; init; }
    }

    private sealed class SentRow
    {
        public string Category { get; init; } = "";
        public DateTime SentAt { get; init; }
        public int Nominated { get; init; }
    }

    private sealed class QuotaRow
    {
        public string Category { get; init; } = "";
        public int Quota { get; init; }
    }

    public static async Task<Results<Ok<SubDistrictListView>, ProblemHttpResult>> GetSubDistrictList(long campaignId, long subDistrictId,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        var campaign = await CampaignRows.ReadAsync(connection, null, campaignId, callerId, ct);
        var unit = campaign is null ? null : await ReadSubDistrictAsync(connection, null, campaign, subDistrictId, callerId, ct);
        if (campaign is null || unit is null)
        {
            return Problems.NotFound("campaigns.campaign.notFound");
        }
        return TypedResults.Ok(await ViewAsync(connection, null, campaign, subDistrictId, unit.Name, time.Today(), ct));
    }

    public static async Task<Results<Ok<SubDistrictListView>, ValidationProblem, ProblemHttpResult>> SendList(long campaignId, long subDistrictId,
        string category, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!CampaignStandards.TryParseCategory(category, out var parsed))
        {
            return Problems.Invalid("category", "validation.enum.unknown");
        }
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Claimed first: a retry of a write that committed gets its answer back, whatever the write changed since.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var campaign = await CampaignRows.ReadAsync(connection, transaction, campaignId, callerId, ct, forUpdate: true);
        var unit = campaign is null ? null : await ReadSubDistrictAsync(connection, transaction, campaign, subDistrictId, callerId, ct);
        if (campaign is null || unit is null)
        {
            return Problems.NotFound("campaigns.campaign.notFound");
        }
        if (!unit.SubDistrictAdmin)
        {
            return Problems.Forbidden("campaigns.list.notSubDistrictAdmin");
        }
        if (campaign.PhaseOn(time.Today()) is var phase and not CampaignPhase.Nomination)
        {
            return Problems.Conflict("campaigns.phase.closed", phase);
        }
        var args = new { campaignId, subDistrictId, category = parsed.ToString(), callerId, now };
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(NominationsApi.ListSent, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("campaigns.list.sent", parsed);
        }
        var quota = (await connection.QueryAsync<QuotaRow>(new CommandDefinition(Quotas, args, transaction, cancellationToken: ct)))
            .FirstOrDefault(q => q.Category == args.category)?.Quota ?? 0;
        if (quota == 0)
        {
            return Problems.Conflict("campaigns.list.noQuota", parsed);
        }
        var submitted = (await connection.QueryAsync<long>(new CommandDefinition(SubmittedOfCategory, args, transaction, cancellationToken: ct))).ToList();
        var required = CampaignStandards.Required(parsed, quota);
        if (submitted.Count < required)
        {
            return Problems.Conflict("campaigns.list.belowTwiceQuota", parsed, quota, required, submitted.Count);
        }
        await connection.ExecuteAsync(new CommandDefinition(InsertList, new
        {
            campaignId, subDistrictId, category = args.category, nominated = submitted.Count,
            callerId, now
        }, transaction, cancellationToken: ct));
        foreach (var applicationId in submitted)
        {
            await NominationRows.ChangeStatusAsync(connection, transaction, applicationId, NominationStatus.Submitted, NominationStatus.Nominated, null,
                callerId, now, ct);
        }
        var view = await ViewAsync(connection, transaction, campaign, subDistrictId, unit.Name, time.Today(), ct);
        return await IdempotentWrite.CommitOkAsync(http, connection, transaction, view, ct);
    }

    private static async Task<SubDistrictRow?> ReadSubDistrictAsync(MySqlConnection connection, MySqlTransaction? transaction,
        CampaignRows.CampaignRow campaign, long subDistrictId, long callerId, CancellationToken ct)
    {
        var unit = await connection.QuerySingleOrDefaultAsync<SubDistrictRow>(new CommandDefinition(SubDistrict, new { subDistrictId, callerId },
            transaction, cancellationToken: ct));
        return unit is not null && unit.Path.StartsWith(campaign.DistrictPath, StringComparison.Ordinal) ? unit : null;
    }

    private static async Task<SubDistrictListView> ViewAsync(MySqlConnection connection, MySqlTransaction? transaction, CampaignRows.CampaignRow campaign,
        long subDistrictId, string name, DateOnly today, CancellationToken ct)
    {
        var args = new { campaignId = campaign.Id, subDistrictId };
        var counts = (await connection.QueryAsync<CountRow>(new CommandDefinition(Counts, args, transaction, cancellationToken: ct))).ToDictionary(c => c.Category);
        var quotas = (await connection.QueryAsync<QuotaRow>(new CommandDefinition(Quotas, args, transaction, cancellationToken: ct)))
            .ToDictionary(q => q.Category, q => q.Quota);
        var sent = (await connection.QueryAsync<SentRow>(new CommandDefinition(Sent, args, transaction, cancellationToken: ct))).ToDictionary(s => s.Category);
        return new SubDistrictListView(campaign.Id, subDistrictId, name, campaign.PhaseOn(today), Rule, Enum.GetValues<CampaignCategory>().Select(c =>
        {
            var key = c.ToString();
            var quota = quotas.GetValueOrDefault(key);
            var count = counts.GetValueOrDefault(key);
            var list = sent.GetValueOrDefault(key);
            return new CategoryListView(c, CampaignStandards.Name(c), quota, CampaignStandards.Required(c, quota), count?.Drafts ?? 0, count?.Submitted ?? 0,
                list?.SentAt, list?.Nominated);
        }).ToList());
    }
}
