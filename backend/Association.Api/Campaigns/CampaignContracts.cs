using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

namespace Association.Api.Campaigns;

/// <summary>The ten categories, in the order and with the numbers of section 4 of the plan.</summary>
[JsonConverter(typeof(EnumNames<CampaignCategory>))]
public enum CampaignCategory
{
    Family = 1,
    Grid,
    Property,
    Village,
    SubDistrict,
    Campus,
    Business,
    Hospital,
    Enterprise,
    Association,
}

/// <summary>Where the year's cycle stands (section 5 of the plan), read from the campaign's dates and today in China.</summary>
[JsonConverter(typeof(EnumNames<CampaignPhase>))]
public enum CampaignPhase
{
    NotStarted,
    Mobilisation,
    Nomination,
    Guidance,
    Acceptance,
    JointReview,
    Published,
}

[JsonConverter(typeof(EnumNames<NominationStatus>))]
public enum NominationStatus
{
    Draft,
    Submitted,
    Nominated,
    AcceptanceRequested,
    Accepted,
    NotAccepted,
    Awarded,
    NotAwarded,
    Withdrawn,
}

/// <summary>Who may be nominated besides the units of the tree and the association: households and establishments.</summary>
[JsonConverter(typeof(EnumNames<SubjectKind>))]
public enum SubjectKind
{
    Household,
    Property,
    Campus,
    Business,
    Hospital,
    Enterprise,
}

/// <summary>The forms of guidance the plan names: 现场查看、交流座谈、参观学习.</summary>
[JsonConverter(typeof(EnumNames<GuidanceKind>))]
public enum GuidanceKind
{
    SiteVisit,
    Discussion,
    StudyTour,
}

/// <param name="MobiliseOn">动员部署 from this day (April in the plan).</param>
/// <param name="NominateOn">推荐申报 from this day (May–June).</param>
/// <param name="GuideOn">指导培育 from this day (July–August).</param>
/// <param name="AcceptOn">验收 from this day (September–October): review forms, requests for acceptance, first acceptance.</param>
/// <param name="JointReviewOn">区联审 from this day until the results are published.</param>
public sealed record CampaignPhases(DateOnly? MobiliseOn, DateOnly? NominateOn, DateOnly? GuideOn, DateOnly? AcceptOn, DateOnly? JointReviewOn)
{
    public static CampaignPhases OfYear(int year) =>
        new(new DateOnly(year, 4, 1), new DateOnly(year, 5, 1), new DateOnly(year, 7, 1), new DateOnly(year, 9, 1), new DateOnly(year, 11, 1));

    public void Validate(RequestRules rules)
    {
        DateOnly?[] days = [MobiliseOn, NominateOn, GuideOn, AcceptOn, JointReviewOn];
        string[] names = ["mobiliseOn", "nominateOn", "guideOn", "acceptOn", "jointReviewOn"];
        for (var i = 0; i < days.Length; i++)
        {
            if (days[i] is null)
            {
                rules.Fail(names[i], "validation.required");
            }
            else if (i > 0 && days[i - 1] is { } before && days[i] <= before && !(i == 1 && days[i] == before))
            {
                rules.Fail(names[i], "campaigns.phases.order");
            }
        }
    }
}

/// <param name="DistrictId">The district whose campaign it is; the caller is its DistrictAdmin.</param>
/// <param name="Phases">Left out: the plan's months of that year.</param>
/// <param name="IssuingBody">Who awards the plaques, as printed on them (长沙市天心区平安建设领导小组); left out, the district's
/// name and 平安建设领导小组.</param>
public sealed record NewCampaignRequest(long DistrictId, int Year, string? Title, CampaignPhases? Phases, string? IssuingBody = null) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(DistrictId, "districtId", 1, long.MaxValue, "org.unit.notFound");
        rules.Range(Year, "year", 2000, 2100);
        rules.OptionalText(Title, "title", 100);
        rules.OptionalText(IssuingBody, "issuingBody", 100);
        Phases?.Validate(rules.Nested("phases."));
    }
}

public sealed record CampaignPhasesRequest(CampaignPhases? Phases) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        if (rules.Check(Phases is not null, "phases", "validation.required"))
        {
            Phases!.Validate(rules.Nested("phases."));
        }
    }
}

public sealed record StandardsRequest(IReadOnlyList<string>? Items) : IValidatedRequest
{
    public const int MaxItems = 30;

    public void Validate(RequestRules rules)
    {
        if (rules.Check(Items is { Count: > 0 and <= MaxItems }, "items", "validation.list.count", 1, MaxItems))
        {
            for (var i = 0; i < Items!.Count; i++)
            {
                rules.Text(Items[i], $"items[{i}]", 4, 1000);
            }
        }
    }
}

public sealed record QuotaSetting(long SubDistrictId, CampaignCategory? Category, int Quota);

public sealed record QuotasRequest(IReadOnlyList<QuotaSetting>? Items) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        if (rules.Check(Items is { Count: > 0 and <= 1000 }, "items", "validation.list.count", 1, 1000))
        {
            for (var i = 0; i < Items!.Count; i++)
            {
                var item = Items[i];
                rules.Range(item.SubDistrictId, $"items[{i}].subDistrictId", 1, long.MaxValue, "org.unit.notFound");
                rules.Defined(item.Category, $"items[{i}].category");
                rules.Range(item.Quota, $"items[{i}].quota", 0, 1000);
            }
        }
    }
}

public sealed record StandardView(long Id, int Number, string Text);

public sealed record CategoryView(CampaignCategory Category, int Number, string Name, IReadOnlyList<StandardView> Standards);

/// <param name="Required">How many the sub-district's list must hold before it is sent: twice the quota, or the one
/// possible nominee of a category that has one per sub-district (平安街道, 平安创建协会).</param>
public sealed record QuotaView(long SubDistrictId, string SubDistrictName, CampaignCategory Category, int Quota, int Required);

/// <param name="CanManage">The caller is the district's DistrictAdmin: standards, quotas, phases, the joint review.</param>
public sealed record CampaignView(long Id, long DistrictId, string DistrictName, int Year, string Title, string IssuingBody, CampaignPhases Phases, CampaignPhase Phase,
    DateTime? ResultsPublishedAt, bool CanManage, IReadOnlyList<CategoryView> Categories, IReadOnlyList<QuotaView> Quotas);

public sealed record CampaignSummary(long Id, long DistrictId, string DistrictName, int Year, string Title, CampaignPhase Phase, DateTime? ResultsPublishedAt);
