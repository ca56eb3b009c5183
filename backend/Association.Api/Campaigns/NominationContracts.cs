using Association.Api.Platform.Errors;

namespace Association.Api.Campaigns;

/// <param name="SubjectUnitId">The grid, village or sub-district nominated; for 平安创建协会, the association's sub-district.</param>
/// <param name="SubjectId">The registered household or establishment nominated, for the other categories.</param>
/// <param name="LeadUnitId">The lead unit (牵头单位) that files and answers for the application; left out, the unit above the
/// subject (the village of a grid, household or establishment; the sub-district of a village; the sub-district itself).</param>
/// <param name="Content">申报内容: what the unit applies with.</param>
/// <param name="ActivityPlan">平安创建活动计划.</param>
/// <param name="LeadOpinion">牵头单位意见; needed before the application is submitted.</param>
public sealed record NewNominationRequest(long CampaignId, CampaignCategory? Category, long? SubjectUnitId, long? SubjectId, long? LeadUnitId,
    string? Content, string? ActivityPlan, string? LeadOpinion) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(CampaignId, "campaignId", 1, long.MaxValue, "campaigns.campaign.notFound");
        if (rules.Defined(Category, "category"))
        {
            var registered = CampaignStandards.SubjectKindOf(Category!.Value) is not null;
            rules.Check(registered ? SubjectId is > 0 : SubjectUnitId is > 0, registered ? "subjectId" : "subjectUnitId", "validation.required");
        }
        new NominationTexts(Content, ActivityPlan, LeadOpinion).Validate(rules);
    }
}

public sealed record NominationTexts(string? Content, string? ActivityPlan, string? LeadOpinion) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Text(Content, "content", 10, 2000);
        rules.Text(ActivityPlan, "activityPlan", 10, 4000);
        rules.OptionalText(LeadOpinion, "leadOpinion", 1000);
    }
}

/// <summary>An opinion or reason given with a step (审核单位意见, a withdrawal's reason).</summary>
public sealed record OpinionRequest(string? Opinion) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Text(Opinion, "opinion", 2, 1000);
}

/// <param name="Passed">The first acceptance's result (初步验收); the opinion is the reviewing unit's (审核单位意见).</param>
public sealed record AcceptanceRequest(bool? Passed, string? Opinion) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Check(Passed is not null, "passed", "validation.required");
        rules.Text(Opinion, "opinion", 2, 1000);
    }
}

/// <param name="Reason">Why: needed when not awarded, kept when awarded.</param>
public sealed record DecisionRequest(bool? Awarded, string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Check(Awarded is not null, "awarded", "validation.required");
        if (Awarded == false)
        {
            rules.Reason(Reason);
        }
        else
        {
            rules.OptionalText(Reason, "reason", 500);
        }
    }
}

public sealed record NewGuidanceRequest(GuidanceKind? Kind, DateOnly? HeldOn, string? GuidedBy, string? Topic, string? Notes,
    IReadOnlyList<string>? PhotoIds) : IValidatedRequest
{
    public const int MaxPhotos = 9;

    public void Validate(RequestRules rules)
    {
        rules.Defined(Kind, "kind");
        if (HeldOn is null)
        {
            rules.Fail("heldOn", "validation.required");
        }
        else
        {
            rules.Check(HeldOn <= rules.Today, "heldOn", "campaigns.guidance.future");
        }
        rules.Text(GuidedBy, "guidedBy", 2, 100);
        rules.Text(Topic, "topic", 2, 200);
        rules.OptionalText(Notes, "notes", 2000);
        rules.Check((PhotoIds?.Count ?? 0) <= MaxPhotos, "photoIds", "validation.list.count", 0, MaxPhotos);
    }
}

public sealed record ReviewItemInput(long StandardId, string? Progress, IReadOnlyList<string>? PhotoIds);

/// <param name="Progress">平安创建开展情况及成果: the whole of the unit's work and results.</param>
/// <param name="LeadOpinion">The lead unit's opinion on the review form; needed before acceptance is requested.</param>
/// <param name="Items">Progress and photos per standard of the category.</param>
public sealed record ReviewRequest(string? Progress, string? LeadOpinion, IReadOnlyList<ReviewItemInput>? Items) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Text(Progress, "progress", 10, 4000);
        rules.OptionalText(LeadOpinion, "leadOpinion", 1000);
        if (rules.Check((Items?.Count ?? 0) <= StandardsRequest.MaxItems, "items", "validation.list.count", 0, StandardsRequest.MaxItems))
        {
            for (var i = 0; i < (Items?.Count ?? 0); i++)
            {
                var item = Items![i];
                rules.Range(item?.StandardId, $"items[{i}].standardId", 1, long.MaxValue, "campaigns.review.standard");
                rules.Text(item?.Progress, $"items[{i}].progress", 2, 2000);
                rules.Check((item?.PhotoIds?.Count ?? 0) <= NewGuidanceRequest.MaxPhotos, $"items[{i}].photoIds", "validation.list.count", 0,
                    NewGuidanceRequest.MaxPhotos);
            }
        }
    }
}

/// <summary>A figure the system counted for a standard, shown as such on the review form.</summary>
/// <param name="Number">The standard's number in its category.</param>
/// <param name="Measure">What was counted, in Chinese.</param>
/// <param name="Text">The finding as the form prints it.</param>
/// <param name="Met">Whether a stated target is reached; null where the standard sets none.</param>
public sealed record EvidenceView(int Number, string Measure, string Text, long Value, long? Target, bool? Met);

public sealed record ReviewItemView(long StandardId, int Number, string Standard, string? Progress, IReadOnlyList<string> PhotoIds);

/// <param name="Evidence">Filled in from the system's own records: counted now while the form is a draft, as they were
/// when acceptance was requested afterwards.</param>
public sealed record ReviewView(string? Progress, string? LeadOpinion, IReadOnlyList<ReviewItemView> Items, IReadOnlyList<EvidenceView> Evidence,
    DateTime EvidenceAt, DateTime? SentAt, string? ReviewingOpinion, DateTime? AcceptedAt);

public sealed record GuidanceView(long Id, GuidanceKind Kind, DateOnly HeldOn, string GuidedBy, string Topic, string? Notes,
    IReadOnlyList<string> PhotoIds, DateTime CreatedAt);

public sealed record ChangeView(NominationStatus? From, NominationStatus To, string? Opinion, long ByUserId, DateTime At);

public sealed record DecisionView(bool Awarded, string? Reason, DateTime DecidedAt);

/// <param name="CanEdit">The caller works for the lead unit: drafts, submits, fills the review form.</param>
/// <param name="CanGuide">The caller may record guidance (village or sub-district admin above, or the district).</param>
/// <param name="CanAccept">The caller is the sub-district's admin (公共安全办), who sends the list and does the first acceptance.</param>
/// <param name="CanDecide">The caller is the district's admin, who decides in the joint review.</param>
public sealed record NominationView(long Id, long CampaignId, int Year, CampaignCategory Category, string CategoryName, long SubDistrictId,
    string SubDistrictName, long LeadUnitId, string LeadUnitName, string SubjectName, long? SubjectUnitId, long? SubjectId, NominationStatus Status,
    string Content, string ActivityPlan, string? LeadOpinion, DateTime CreatedAt, DateTime? SubmittedAt, bool CanEdit, bool CanGuide, bool CanAccept,
    bool CanDecide, IReadOnlyList<GuidanceView> Guidance, ReviewView? Review, DecisionView? Decision, IReadOnlyList<ChangeView> History);

public sealed record NominationSummary(long Id, CampaignCategory Category, string SubjectName, long SubDistrictId, string SubDistrictName,
    string LeadUnitName, NominationStatus Status, DateTime UpdatedAt);

/// <param name="Required">Nominees the list needs before it may be sent (twice the quota; see <see cref="QuotaView"/>).</param>
/// <param name="Submitted">Applications submitted and waiting for the list, or on it once sent.</param>
public sealed record CategoryListView(CampaignCategory Category, string CategoryName, int Quota, int Required, int Drafts, int Submitted,
    DateTime? SentAt, int? Nominated);

public sealed record SubDistrictListView(long CampaignId, long SubDistrictId, string SubDistrictName, CampaignPhase Phase, string Rule,
    IReadOnlyList<CategoryListView> Categories);

/// <param name="Awarded">Decided awarded so far, of <c>Quota</c>.</param>
public sealed record JointReviewGroup(long SubDistrictId, string SubDistrictName, CampaignCategory Category, string CategoryName, int Quota,
    int Awarded, IReadOnlyList<NominationSummary> Applications);

public sealed record JointReviewView(long CampaignId, CampaignPhase Phase, DateTime? ResultsPublishedAt, int Undecided,
    IReadOnlyList<JointReviewGroup> Groups);
