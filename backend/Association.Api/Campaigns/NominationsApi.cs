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
/// Applications (申报表): drafted by the staff of the subject's lead unit in the nomination phase, one live application per
/// subject and category, submitted with the lead unit's opinion, withdrawn until the sub-district sends its list.
/// </summary>
public static class NominationsApi
{
    public static RouteGroupBuilder MapNominationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", CreateNomination)
            .WithSummary("Draft an application for a unit, the association, a household or an establishment (its lead unit's staff, nomination phase)")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("", ListNominations)
            .WithSummary("A campaign's applications the caller may read")
            .ProducesValidationProblem();
        api.MapGet("/{applicationId}", GetNomination)
            .WithSummary("One application: its form, guidance, review form with the system's evidence, decision and every change")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{applicationId}", EditNomination)
            .WithSummary("Change an application's content, activity plan and lead unit's opinion (before its list is sent)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{applicationId}/submit", SubmitNomination)
            .WithSummary("Submit a drafted application to the sub-district's list; it needs the lead unit's opinion")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{applicationId}/withdraw", WithdrawNomination)
            .WithSummary("Withdraw an application, with a reason, before its list is sent")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string SubjectUnit = """
        SELECT target.id, target.kind, target.name, target.path, target.parent_id FROM org_units target WHERE target.id = @unitId AND
        """ + " " + Scope.Sees;

    private const string LeadUnit = """
        SELECT target.id, target.kind, target.name, target.path, target.parent_id,
               (SELECT sd.id FROM org_units sd WHERE sd.kind = 'SubDistrict' AND target.path LIKE CONCAT(sd.path, '%')) AS sub_district_id
          FROM org_units target WHERE target.id = @unitId AND
        """ + " " + CampaignSubjectsApi.ActsFor;

    private const string Insert = """
        INSERT INTO campaign_applications (campaign_id, category, sub_district_id, lead_unit_id, subject_key, subject_unit_id, subject_id,
               subject_name, status, open_marker, content, activity_plan, lead_opinion, created_by, created_at, updated_at)
        VALUES (@campaignId, @category, @subDistrictId, @leadUnitId, @subjectKey, @subjectUnitId, @subjectId, @subjectName, 'Draft', 1,
                @content, @activityPlan, @leadOpinion, @callerId, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Live = """
        SELECT COUNT(*) FROM campaign_applications WHERE campaign_id = @campaignId AND category = @category AND subject_key = @subjectKey
           AND open_marker = 1
        """;

    internal const string ListSent = """
        SELECT COUNT(*) FROM campaign_lists WHERE campaign_id = @campaignId AND sub_district_id = @subDistrictId AND category = @category
        """;

    private const string Edit = """
        UPDATE campaign_applications SET content = @content, activity_plan = @activityPlan, lead_opinion = @leadOpinion, updated_at = @now
         WHERE id = @applicationId
        """;

    private const string Submitted = "UPDATE campaign_applications SET submitted_at = @now WHERE id = @applicationId";

    private sealed class UnitRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string Path { get; init; } = "";
        public long? ParentId { get; init; }
        public long? SubDistrictId { get; init; }
    }

    public static async Task<Results<Created<NominationView>, ValidationProblem, ProblemHttpResult>> CreateNomination(NewNominationRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var category = request.Category!.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Claimed first: a retry of a write that committed gets its answer back, whatever the write changed since.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var campaign = await CampaignRows.ReadAsync(connection, transaction, request.CampaignId, callerId, ct, forUpdate: true);
        if (campaign is null)
        {
            return Problems.NotFound("campaigns.campaign.notFound");
        }
        if (campaign.PhaseOn(time.Today()) is var phase and not CampaignPhase.Nomination)
        {
            return Problems.Conflict("campaigns.phase.closed", phase);
        }

        // The nominee: a unit of the tree, the association of a sub-district, or a registered household or establishment.
        UnitRow? subjectUnit;
        string subjectName, subjectKey;
        if (CampaignStandards.SubjectKindOf(category) is { } kind)
        {
            var subject = await connection.QuerySingleOrDefaultAsync<CampaignSubjectsApi.SubjectRow>(new CommandDefinition(CampaignSubjectsApi.ById,
                new { subjectId = request.SubjectId, callerId }, transaction, cancellationToken: ct));
            if (subject is null)
            {
                return Problems.NotFound("campaigns.subject.notFound");
            }
            if (subject.Kind != kind.ToString())
            {
                return Problems.Invalid("subjectId", "campaigns.subject.wrongKind", kind, category);
            }
            subjectUnit = await UnitAsync(connection, transaction, SubjectUnit, subject.UnitId, callerId, ct);
            (subjectName, subjectKey) = (subject.DisplayName, $"s:{subject.Id}");
        }
        else
        {
            subjectUnit = await UnitAsync(connection, transaction, SubjectUnit, request.SubjectUnitId!.Value, callerId, ct);
            if (subjectUnit is null)
            {
                return Problems.NotFound("campaigns.subject.notFound");
            }
            var expected = category switch { CampaignCategory.Grid => "Grid", CampaignCategory.Village => "Village", _ => "SubDistrict" };
            if (subjectUnit.Kind != expected)
            {
                return Problems.Invalid("subjectUnitId", "campaigns.subject.wrongUnit", category);
            }
            (subjectName, subjectKey) = category == CampaignCategory.Association
                ? (subjectUnit.Name + "平安创建协会", $"a:{subjectUnit.Id}")
                : (subjectUnit.Name, $"u:{subjectUnit.Id}");
        }
        if (subjectUnit is null)
        {
            return Problems.NotFound("campaigns.subject.notFound");
        }

        var leadId = request.LeadUnitId ?? (subjectUnit.Kind is "SubDistrict" || (subjectUnit.Kind == "Village" && category != CampaignCategory.Village)
            ? subjectUnit.Id
            : subjectUnit.ParentId!.Value);
        var lead = await UnitAsync(connection, transaction, LeadUnit, leadId, callerId, ct);
        if (lead is null)
        {
            return Problems.NotFound("org.unit.notFound");
        }
        if (lead.SubDistrictId is not { } subDistrictId || !subjectUnit.Path.StartsWith(lead.Path, StringComparison.Ordinal)
            || !lead.Path.StartsWith(campaign.DistrictPath, StringComparison.Ordinal))
        {
            return Problems.Invalid("leadUnitId", "campaigns.application.leadUnit");
        }
        var args = new { campaignId = campaign.Id, category = category.ToString(), subjectKey, subDistrictId };
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(Live, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("campaigns.application.exists", category);
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(ListSent, args, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("campaigns.list.sent", category);
        }
        var applicationId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            campaignId = campaign.Id, category = category.ToString(), subDistrictId, leadUnitId = lead.Id, subjectKey,
            subjectUnitId = CampaignStandards.SubjectKindOf(category) is null ? subjectUnit.Id : (long?)null,
            subjectId = CampaignStandards.SubjectKindOf(category) is null ? null : request.SubjectId, subjectName,
            content = request.Content!.Trim(), activityPlan = request.ActivityPlan!.Trim(), leadOpinion = Trimmed(request.LeadOpinion), callerId, now,
        }, transaction, cancellationToken: ct));
        await NominationRows.ChangeStatusAsync(connection, transaction, applicationId, null, NominationStatus.Draft, null, callerId, now, ct);
        var row = (await NominationRows.ReadAsync(connection, transaction, applicationId, callerId, ct))!;
        var view = await NominationRows.ViewAsync(connection, transaction, row, now, ct);
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/campaign-applications/{applicationId}", view, ct);
    }

    private static Task<UnitRow?> UnitAsync(MySqlConnection connection, MySqlTransaction transaction, string sql, long unitId, long callerId,
        CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<UnitRow>(new CommandDefinition(sql, new { unitId, callerId }, transaction, cancellationToken: ct));

    internal static string? Trimmed(string? text) => text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    public static async Task<Results<Ok<IReadOnlyList<NominationSummary>>, ValidationProblem>> ListNominations(long campaignId, HttpContext http,
        MySqlDataSource db, CancellationToken ct, CampaignCategory? category = null, NominationStatus? status = null, long? subDistrictId = null,
        [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<NominationRows.SummaryRow>(new CommandDefinition(NominationRows.Page, new
        {
            campaignId, callerId = http.User.UserId(), category = category?.ToString(), status = status?.ToString(), subDistrictId,
            limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<NominationSummary>>(rows.Select(r => r.Summary()).ToList());
    }

    public static async Task<Results<Ok<NominationView>, ProblemHttpResult>> GetNomination(long applicationId, HttpContext http, MySqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await NominationRows.ReadAsync(connection, null, applicationId, http.User.UserId(), ct);
        return row is null
            ? Problems.NotFound("campaigns.application.notFound")
            : TypedResults.Ok(await NominationRows.ViewAsync(connection, null, row, time.DbUtcNow(), ct));
    }

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> EditNomination(long applicationId, NominationTexts request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Applicant, [CampaignPhase.Nomination],
            [NominationStatus.Draft, NominationStatus.Submitted], async (step, row) =>
            {
                await step.Connection.ExecuteAsync(new CommandDefinition(Edit, new
                {
                    applicationId, content = request.Content!.Trim(), activityPlan = request.ActivityPlan!.Trim(),
                    leadOpinion = Trimmed(request.LeadOpinion), now = step.Now,
                }, step.Transaction, cancellationToken: ct));
                return null;
            });

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> SubmitNomination(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Applicant, [CampaignPhase.Nomination], [NominationStatus.Draft],
            async (step, row) =>
            {
                if (row.LeadOpinion is null)
                {
                    return Problems.Invalid("leadOpinion", "campaigns.application.leadOpinion");
                }
                if (await step.Connection.ExecuteScalarAsync<long>(new CommandDefinition(ListSent, new
                {
                    row.CampaignId, row.SubDistrictId, row.Category,
                }, step.Transaction, cancellationToken: ct)) > 0)
                {
                    return Problems.Conflict("campaigns.list.sent", row.TheCategory);
                }
                await step.Connection.ExecuteAsync(new CommandDefinition(Submitted, new { applicationId, now = step.Now }, step.Transaction,
                    cancellationToken: ct));
                await step.MoveAsync(row, NominationStatus.Submitted, null);
                return null;
            });

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> WithdrawNomination(long applicationId, OpinionRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Applicant, null, [NominationStatus.Draft, NominationStatus.Submitted],
            async (step, row) =>
            {
                await step.MoveAsync(row, NominationStatus.Withdrawn, request.Opinion!.Trim());
                return null;
            });
}
