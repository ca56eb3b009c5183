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
/// A district's yearly campaign: created by its DistrictAdmin with the standards of the year before (or of the plan),
/// its phases moved as the year goes, its standards changed until nomination opens, its quotas until the joint review.
/// </summary>
public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", CreateCampaign)
            .WithSummary("Start a district's campaign for a year (DistrictAdmin); its standards are copied from the year before, or the plan's")
            .Idempotent()
            .ProducesStepProblems();
        api.MapGet("", ListCampaigns)
            .WithSummary("Campaigns of the districts the caller holds a role in, newest year first");
        api.MapGet("/{campaignId}", GetCampaign)
            .WithSummary("A campaign: phases, the ten categories with their standards, the quotas")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{campaignId}/phases", SetPhases)
            .WithSummary("Move the campaign's phases (DistrictAdmin, until the results are published)")
            .ProducesStepProblems();
        api.MapPut("/{campaignId}/standards/{category}", SetStandards)
            .WithSummary("Replace a category's standards, numbered in the order given (DistrictAdmin, before nomination opens)")
            .ProducesStepProblems();
        api.MapPut("/{campaignId}/quotas", SetQuotas)
            .WithSummary("Set award quotas per sub-district and category (DistrictAdmin, before the joint review)")
            .ProducesStepProblems();
        return api;
    }

    private const string District = """
        SELECT target.kind, target.name FROM org_units target WHERE target.id = @districtId AND
        """ + " " + Scope.Sees;

    private const string HoldsDistrictAdmin = """
        SELECT COUNT(*) FROM role_assignments WHERE user_id = @callerId AND role = 'DistrictAdmin' AND org_unit_id = @districtId
        """;

    private const string Exists = "SELECT COUNT(*) FROM campaigns WHERE district_id = @districtId AND year = @year";

    private const string Insert = """
        INSERT INTO campaigns (district_id, year, title, issuing_body, mobilise_on, nominate_on, guide_on, accept_on, joint_review_on, created_by, created_at, updated_at)
        VALUES (@districtId, @year, @title, @issuingBody, @mobiliseOn, @nominateOn, @guideOn, @acceptOn, @jointReviewOn, @callerId, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string PreviousCampaign = """
        SELECT id FROM campaigns WHERE district_id = @districtId AND year < @year ORDER BY year DESC LIMIT 1
        """;

    private const string CopyStandards = """
        INSERT INTO campaign_standards (campaign_id, category, number, text)
        SELECT @campaignId, category, number, text FROM campaign_standards WHERE campaign_id = @previousId
        """;

    private const string InsertStandard = """
        INSERT INTO campaign_standards (campaign_id, category, number, text) VALUES (@campaignId, @category, @number, @text)
        """;

    private const string UpdatePhases = """
        UPDATE campaigns SET mobilise_on = @mobiliseOn, nominate_on = @nominateOn, guide_on = @guideOn, accept_on = @acceptOn,
               joint_review_on = @jointReviewOn, updated_at = @now
         WHERE id = @campaignId
        """;

    private const string StandardsInUse = """
        SELECT COUNT(*) FROM campaign_applications WHERE campaign_id = @campaignId AND category = @category
        """;

    private const string DeleteStandards = "DELETE FROM campaign_standards WHERE campaign_id = @campaignId AND category = @category";

    private const string SubDistrictsOf = """
        SELECT s.id FROM org_units s JOIN org_units d ON d.id = @districtId
         WHERE s.kind = 'SubDistrict' AND s.path LIKE CONCAT(d.path, '%') AND s.id IN @ids
        """;

    private const string UpsertQuota = """
        INSERT INTO campaign_quotas (campaign_id, sub_district_id, category, quota, set_by, set_at)
        VALUES (@campaignId, @subDistrictId, @category, @quota, @callerId, @now)
        ON DUPLICATE KEY UPDATE quota = VALUES(quota), set_by = VALUES(set_by), set_at = VALUES(set_at)
        """;

    private sealed record DistrictRow(string Kind, string Name);

    public static async Task<Results<Created<CampaignView>, ValidationProblem, ProblemHttpResult>> CreateCampaign(
        NewCampaignRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var args = new { request.DistrictId, request.Year, callerId };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Claimed first: a retry of a write that committed gets its answer back, whatever the write changed since.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var district = await connection.QuerySingleOrDefaultAsync<DistrictRow>(new CommandDefinition(District, args, transaction, cancellationToken: ct));
        if (district is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (district.Kind != "District")
        {
            return Problems.Invalid("districtId", "campaigns.district.notDistrict");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(HoldsDistrictAdmin, args, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.Forbidden("campaigns.notDistrictAdmin");
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(Exists, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("campaigns.campaign.exists", request.Year);
        }
        var phases = request.Phases ?? CampaignPhases.OfYear(request.Year);
        var title = request.Title?.Trim() is { Length: > 0 } given ? given : $"{request.Year}年“十大平安”创建";
        var issuingBody = request.IssuingBody?.Trim() is { Length: > 0 } body ? body : district.Name + "平安建设领导小组";
        var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, PhaseArgs(phases, new
        {
            request.DistrictId, request.Year, title, issuingBody, callerId, now,
        }), transaction, cancellationToken: ct));
        var previousId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(PreviousCampaign, args, transaction, cancellationToken: ct));
        if (previousId is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(CopyStandards, new { campaignId, previousId }, transaction, cancellationToken: ct));
        }
        else
        {
            var rows = CampaignStandards.OfThePlan.SelectMany(c => c.Value.Select((text, i) => new
            {
                campaignId, category = c.Key.ToString(), number = i + 1, text,
            }));
            await connection.ExecuteAsync(new CommandDefinition(InsertStandard, rows, transaction, cancellationToken: ct));
        }
        var row = (await CampaignRows.ReadAsync(connection, transaction, campaignId, callerId, ct))!;
        var view = await CampaignRows.ViewAsync(connection, transaction, row, time.Today(), ct);
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/campaigns/{campaignId}", view, ct);
    }

    private static DynamicParameters PhaseArgs(CampaignPhases phases, object others)
    {
        var parameters = new DynamicParameters(others);
        parameters.Add("mobiliseOn", phases.MobiliseOn!.Value.ToDateTime(TimeOnly.MinValue));
        parameters.Add("nominateOn", phases.NominateOn!.Value.ToDateTime(TimeOnly.MinValue));
        parameters.Add("guideOn", phases.GuideOn!.Value.ToDateTime(TimeOnly.MinValue));
        parameters.Add("acceptOn", phases.AcceptOn!.Value.ToDateTime(TimeOnly.MinValue));
        parameters.Add("jointReviewOn", phases.JointReviewOn!.Value.ToDateTime(TimeOnly.MinValue));
        return parameters;
    }

    public static async Task<Ok<IReadOnlyList<CampaignSummary>>> ListCampaigns(HttpContext http, MySqlDataSource db, TimeProvider time,
        CancellationToken ct, int? year = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CampaignRows.CampaignRow>(new CommandDefinition(CampaignRows.Page,
            new { callerId = http.User.UserId(), year }, cancellationToken: ct));
        var today = time.Today();
        return TypedResults.Ok<IReadOnlyList<CampaignSummary>>(rows.Select(r => r.Summary(today)).ToList());
    }

    public static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> GetCampaign(long campaignId, HttpContext http, MySqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await CampaignRows.ReadAsync(connection, null, campaignId, http.User.UserId(), ct) is { } row
            ? TypedResults.Ok(await CampaignRows.ViewAsync(connection, null, row, time.Today(), ct))
            : Problems.NotFound("campaigns.campaign.notFound");
    }

    public static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> SetPhases(long campaignId, CampaignPhasesRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        await ManageAsync(campaignId, http, db, time, ct, async (connection, transaction, row) =>
        {
            if (row.ResultsPublishedAt is not null)
            {
                return Problems.Conflict("campaigns.results.published");
            }
            await connection.ExecuteAsync(new CommandDefinition(UpdatePhases, PhaseArgs(request.Phases!, new { campaignId, now = time.DbUtcNow() }),
                transaction, cancellationToken: ct));
            return null;
        });

    public static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> SetStandards(long campaignId, string category,
        StandardsRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!CampaignStandards.TryParseCategory(category, out var parsed))
        {
            return Problems.Invalid("category", "validation.enum.unknown");
        }
        return await ManageAsync(campaignId, http, db, time, ct, async (connection, transaction, row) =>
        {
            var args = new { campaignId, category = parsed.ToString() };
            if (row.PhaseOn(time.Today()) > CampaignPhase.Mobilisation
                || await connection.ExecuteScalarAsync<long>(new CommandDefinition(StandardsInUse, args, transaction, cancellationToken: ct)) > 0)
            {
                return Problems.Conflict("campaigns.standards.locked");
            }
            await connection.ExecuteAsync(new CommandDefinition(DeleteStandards, args, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(InsertStandard, request.Items!.Select((text, i) => new
            {
                campaignId, category = args.category, number = i + 1, text = text.Trim(),
            }), transaction, cancellationToken: ct));
            return null;
        });
    }

    public static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> SetQuotas(long campaignId, QuotasRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        await ManageAsync(campaignId, http, db, time, ct, async (connection, transaction, row) =>
        {
            if (row.PhaseOn(time.Today()) >= CampaignPhase.JointReview)
            {
                return Problems.Conflict("campaigns.quotas.locked");
            }
            var ids = request.Items!.Select(i => i.SubDistrictId).Distinct().ToList();
            var known = (await connection.QueryAsync<long>(new CommandDefinition(SubDistrictsOf, new { districtId = row.DistrictId, ids }, transaction,
                cancellationToken: ct))).ToHashSet();
            for (var i = 0; i < request.Items!.Count; i++)
            {
                if (!known.Contains(request.Items[i].SubDistrictId))
                {
                    return Problems.Invalid($"items[{i}].subDistrictId", "campaigns.quota.notSubDistrict");
                }
            }
            var callerId = http.User.UserId();
            var now = time.DbUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(UpsertQuota, request.Items.Select(q => new
            {
                campaignId, q.SubDistrictId, category = q.Category!.Value.ToString(), q.Quota, callerId, now,
            }), transaction, cancellationToken: ct));
            return null;
        });

    /// <summary>A DistrictAdmin's change to the campaign: locked, checked, changed, answered as it now stands.</summary>
    private static async Task<Results<Ok<CampaignView>, ValidationProblem, ProblemHttpResult>> ManageAsync(long campaignId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CancellationToken ct,
        Func<MySqlConnection, MySqlTransaction, CampaignRows.CampaignRow, Task<IResult?>> change)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await CampaignRows.ReadAsync(connection, transaction, campaignId, callerId, ct, forUpdate: true);
        if (row is null)
        {
            return Problems.NotFound("campaigns.campaign.notFound");
        }
        if (!row.CanManage)
        {
            return Problems.Forbidden("campaigns.notDistrictAdmin");
        }
        switch (await change(connection, transaction, row))
        {
            case ProblemHttpResult problem:
                return problem;
            case ValidationProblem invalid:
                return invalid;
        }
        var updated = (await CampaignRows.ReadAsync(connection, transaction, campaignId, callerId, ct))!;
        var view = await CampaignRows.ViewAsync(connection, transaction, updated, time.Today(), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view);
    }
}
