using System.Reflection;
using System.Text.RegularExpressions;
using Association.Api.Platform.Errors;

namespace Association.Api.Campaigns;

/// <summary>
/// The categories' Chinese names and the standards of section 4 of the plan, word for word and numbered as there. A
/// district's first campaign starts from these; later years start from the district's previous campaign.
/// </summary>
public static partial class CampaignStandards
{
    /// <summary>A category from a route: exactly its name, no numbers, no case games.</summary>
    public static bool TryParseCategory(string value, out CampaignCategory category) =>
        Enum.TryParse(value, ignoreCase: false, out category) && Enum.IsDefined(category) && !char.IsAsciiDigit(value.FirstOrDefault());

    /// <summary>The category's name as the plan, the forms and the plaques write it.</summary>
    public static string Name(CampaignCategory category) => EnumLabels.Chinese(category);

    /// <summary>Categories a sub-district has one possible nominee for: itself, its association.</summary>
    public static bool HasOneNominee(CampaignCategory category) => category is CampaignCategory.SubDistrict or CampaignCategory.Association;

    /// <summary>How many the list must hold: twice the quota (section 5.2), capped at the one nominee some categories have.</summary>
    public static int Required(CampaignCategory category, int quota) => HasOneNominee(category) ? Math.Min(quota, 1) : 2 * quota;

    /// <summary>The kind of registered subject a category nominates, null for units of the tree and the association.</summary>
    public static SubjectKind? SubjectKindOf(CampaignCategory category) => category switch
    {
        CampaignCategory.Family => SubjectKind.Household,
        CampaignCategory.Property => SubjectKind.Property,
        CampaignCategory.Campus => SubjectKind.Campus,
        CampaignCategory.Business => SubjectKind.Business,
        CampaignCategory.Hospital => SubjectKind.Hospital,
        CampaignCategory.Enterprise => SubjectKind.Enterprise,
        _ => null,
    };

    public static readonly IReadOnlyDictionary<CampaignCategory, IReadOnlyList<string>> OfThePlan = Load();

    private static Dictionary<CampaignCategory, IReadOnlyList<string>> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Association.Api.Campaigns.TenSafetiesStandards.txt")
                           ?? throw new InvalidOperationException("The plan's standards are not embedded.");
        using var reader = new StreamReader(stream);
        var standards = new Dictionary<CampaignCategory, IReadOnlyList<string>>();
        while (reader.ReadLine() is { } line)
        {
            var match = Heading().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var items = ItemNumber().Split(match.Groups["items"].Value).Skip(1).Select(i => i.Trim()).ToList();
            standards[(CampaignCategory)int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture)] = items;
        }
        return standards;
    }

    [GeneratedRegex(@"^(?<number>\d+)\.平安.+?创建标准。(?<items>.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"（\d+）")]
    private static partial Regex ItemNumber();
}
