using System.Text.Json;
using Association.Api.Photos;
using Association.Api.Platform;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <summary>
/// Guidance (指导培育) recorded for a nominated application, and the acceptance (验收, section 5.4 of the plan): the lead
/// unit fills the review form (审核表) per standard with photos beside the figures the system counted, requests acceptance
/// from the Public Safety Office (the form is then frozen, evidence included), and the sub-district does the first
/// acceptance with the reviewing unit's opinion.
/// </summary>
public static class ReviewApi
{
    public static RouteGroupBuilder MapReviewApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{applicationId}/guidance", AddGuidance)
            .WithSummary("Record a site visit, talk or study tour held for a nominated application (village, sub-district or district staff)")
            .Idempotent()
            .ProducesStepProblems();
        api.MapPut("/{applicationId}/review", SaveReview)
            .WithSummary("Fill the review form: progress and results, per standard with photos, the lead unit's opinion (acceptance phase)")
            .ProducesStepProblems();
        api.MapPost("/{applicationId}/review/send", RequestAcceptance)
            .WithSummary("Request acceptance from the Public Safety Office: the review form and its evidence are frozen")
            .Idempotent()
            .ProducesStepProblems();
        api.MapPost("/{applicationId}/acceptance", Accept)
            .WithSummary("The first acceptance (SubDistrictAdmin): passed or not, with the reviewing unit's opinion")
            .Idempotent()
            .ProducesStepProblems();
        return api;
    }

    private const string InsertGuidance = """
        INSERT INTO campaign_guidance (application_id, kind, held_on, guided_by, topic, notes, photo_ids, created_by, created_at)
        VALUES (@applicationId, @kind, @heldOn, @guidedBy, @topic, @notes, @photoIds, @callerId, @now)
        """;

    private const string LinkPhotos = "INSERT IGNORE INTO campaign_photos (photo_id, application_id) VALUES (@photoId, @applicationId)";

    private const string SaveForm = """
        UPDATE campaign_applications SET review_progress = @progress, review_lead_opinion = @leadOpinion, updated_at = @now WHERE id = @applicationId
        """;

    private const string UpsertItem = """
        INSERT INTO campaign_review_items (application_id, standard_id, progress, photo_ids, updated_by, updated_at)
        VALUES (@applicationId, @standardId, @progress, @photoIds, @callerId, @now)
        ON DUPLICATE KEY UPDATE progress = VALUES(progress), photo_ids = VALUES(photo_ids), updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)
        """;

    private const string Freeze = """
        UPDATE campaign_applications SET review_evidence = @evidence, review_sent_at = @now, updated_at = @now WHERE id = @applicationId
        """;

    private const string Accepted = """
        UPDATE campaign_applications SET reviewing_opinion = @opinion, accepted_at = @now, updated_at = @now WHERE id = @applicationId
        """;

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> AddGuidance(long applicationId, NewGuidanceRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Guide, [CampaignPhase.Guidance, CampaignPhase.Acceptance],
            [NominationStatus.Nominated, NominationStatus.AcceptanceRequested], async (step, row) =>
            {
                if (await PhotosAsync(step, applicationId, request.PhotoIds, "photoIds", ct) is { } refused)
                {
                    return refused;
                }
                await step.Connection.ExecuteAsync(new CommandDefinition(InsertGuidance, new
                {
                    applicationId, kind = request.Kind!.Value.ToString(), heldOn = request.HeldOn!.Value.ToDateTime(TimeOnly.MinValue),
                    guidedBy = request.GuidedBy!.Trim(), topic = request.Topic!.Trim(), notes = NominationsApi.Trimmed(request.Notes),
                    photoIds = Joined(request.PhotoIds), callerId = step.CallerId, now = step.Now,
                }, step.Transaction, cancellationToken: ct));
                return null;
            });

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> SaveReview(long applicationId, ReviewRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Applicant, [CampaignPhase.Acceptance], Enum.GetValues<NominationStatus>(),
            async (step, row) =>
            {
                if (row.TheStatus != NominationStatus.Nominated)
                {
                    return row.ReviewSentAt is null ? Problems.Conflict("campaigns.application.status", row.TheStatus) : Problems.Conflict("campaigns.review.sent");
                }
                var standards = (await NominationRows.ReviewItemsAsync(step.Connection, step.Transaction, applicationId, ct))
                    .Select(s => s.StandardId).ToHashSet();
                var items = request.Items ?? [];
                for (var i = 0; i < items.Count; i++)
                {
                    if (!standards.Contains(items[i].StandardId) || items.Take(i).Any(other => other.StandardId == items[i].StandardId))
                    {
                        return Problems.Invalid($"items[{i}].standardId", "campaigns.review.standard");
                    }
                    if (await PhotosAsync(step, applicationId, items[i].PhotoIds, $"items[{i}].photoIds", ct) is { } refused)
                    {
                        return refused;
                    }
                }
                await step.Connection.ExecuteAsync(new CommandDefinition(SaveForm, new
                {
                    applicationId, progress = request.Progress!.Trim(), leadOpinion = NominationsApi.Trimmed(request.LeadOpinion), now = step.Now,
                }, step.Transaction, cancellationToken: ct));
                await step.Connection.ExecuteAsync(new CommandDefinition(UpsertItem, items.Select(item => new
                {
                    applicationId, item.StandardId, progress = item.Progress!.Trim(), photoIds = Joined(item.PhotoIds), callerId = step.CallerId,
                    now = step.Now,
                }), step.Transaction, cancellationToken: ct));
                return null;
            });

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> RequestAcceptance(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Applicant, [CampaignPhase.Acceptance], [NominationStatus.Nominated],
            async (step, row) =>
            {
                if (row.ReviewProgress is null)
                {
                    return Problems.Invalid("progress", "campaigns.review.progress");
                }
                if (row.ReviewLeadOpinion is null)
                {
                    return Problems.Invalid("leadOpinion", "campaigns.review.leadOpinion");
                }
                var evidence = await ReviewEvidence.CountAsync(step.Connection, step.Transaction, row, step.Now, ct);
                await step.Connection.ExecuteAsync(new CommandDefinition(Freeze, new
                {
                    applicationId, evidence = JsonSerializer.Serialize(evidence), now = step.Now,
                }, step.Transaction, cancellationToken: ct));
                await step.MoveAsync(row, NominationStatus.AcceptanceRequested, row.ReviewLeadOpinion);
                return null;
            });

    public static Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> Accept(long applicationId, AcceptanceRequest request,
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        NominationSteps.RunAsync(applicationId, http, db, time, ct, NominationSteps.Acceptor, [CampaignPhase.Acceptance],
            [NominationStatus.AcceptanceRequested], async (step, row) =>
            {
                var opinion = request.Opinion!.Trim();
                await step.Connection.ExecuteAsync(new CommandDefinition(Accepted, new { applicationId, opinion, now = step.Now }, step.Transaction,
                    cancellationToken: ct));
                await step.MoveAsync(row, request.Passed == true ? NominationStatus.Accepted : NominationStatus.NotAccepted, opinion);
                return null;
            });

    private static string Joined(IReadOnlyList<string>? photoIds) =>
        string.Join(',', (photoIds ?? []).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct());

    /// <summary>Photos must be the caller's own uploads (images by their bytes); they become readable to whoever reads the application.</summary>
    private static async Task<ValidationProblem?> PhotosAsync(NominationSteps.Step step, long applicationId, IReadOnlyList<string>? photoIds,
        string field, CancellationToken ct)
    {
        if (await PhotoRefs.CheckOwnedAsync(step.Connection, step.Transaction, step.CallerId, photoIds?.ToList(), field, ct) is { } refused)
        {
            return refused;
        }
        var ids = Joined(photoIds).Split(',', StringSplitOptions.RemoveEmptyEntries);
        await step.Connection.ExecuteAsync(new CommandDefinition(LinkPhotos, ids.Select(photoId => new { photoId, applicationId }), step.Transaction,
            cancellationToken: ct));
        return null;
    }
}
