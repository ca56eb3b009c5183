using System.Globalization;
using System.Text;
using Association.Api.Platform;
using Association.Api.Platform.Documents;
using SkiaSharp;

namespace Association.Api.Campaigns;

/// <summary>
/// The application form (附件1 申报表) and the review form (附件2 审核表) filled from an application, laid out as the plan's
/// forms for printing and stamping: the stamp lines stay blank for the seal and the signature.
/// </summary>
internal static class CampaignForms
{
    private const float Left = 60, Right = PdfPages.A4Width - 60, Top = 60, Bottom = PdfPages.A4Height - 60;

    public static byte[] ApplicationForm(NominationView a, string districtName, SKTypeface typeface) =>
        Form(a, typeface, "附件1", $"{districtName}{a.Year}年“十大平安”创建申报表", a.SubmittedAt,
        [
            new FormRow("申报单位", a.SubjectName, 60, "（盖章）"),
            new FormRow("申报类别", a.CategoryName, 36),
            new FormRow("申报内容", a.Content, 120),
            new FormRow("平安创建\n活动计划", a.ActivityPlan, 160),
            new FormRow("牵头单位\n意见", a.LeadOpinion ?? "", 110, $"牵头单位：{a.LeadUnitName}（盖章）"),
        ]);

    public static byte[] ReviewForm(NominationView a, string districtName, SKTypeface typeface)
    {
        var review = a.Review!;
        var accepted = a.History.LastOrDefault(h => h.To is NominationStatus.Accepted or NominationStatus.NotAccepted);
        var reviewing = review.ReviewingOpinion is { } opinion
            ? $"{opinion}\n初步验收：{(accepted?.To == NominationStatus.Accepted ? "通过" : "未通过")}"
            : "";
        return Form(a, typeface, "附件2", $"{districtName}{a.Year}年“十大平安”创建审核表", review.SentAt,
        [
            new FormRow("申报单位", a.SubjectName, 60, "（盖章）"),
            new FormRow("申报类别", a.CategoryName, 36),
            new FormRow("申报内容", a.Content, 100),
            new FormRow("平安创建\n开展情况\n及成果", Progress(a, review), 200),
            new FormRow("牵头单位\n意见", review.LeadOpinion ?? "", 110, $"牵头单位：{a.LeadUnitName}（盖章）"),
            new FormRow("审核单位\n意见", reviewing, 110, $"审核单位：{a.SubDistrictName}（盖章）"),
        ]);
    }

    /// <summary>The unit's own account, then per standard what it did, the photos it gave and what the system counted.</summary>
    private static string Progress(NominationView a, ReviewView review)
    {
        var text = new StringBuilder(review.Progress ?? "");
        foreach (var item in review.Items)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"{item.Number}. {item.Standard}");
            text.Append('\n').Append("开展情况：").Append(item.Progress ?? "（未填写）");
            if (item.PhotoIds.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"（附照片{item.PhotoIds.Count}张）");
            }
            foreach (var found in review.Evidence.Where(e => e.Number == item.Number))
            {
                text.Append('\n').Append("系统记录：").Append(found.Text).Append(found.Met switch { true => "（达标）", false => "（未达标）", null => "" });
            }
        }
        if (review.Evidence.Count > 0)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture,
                $"注：“系统记录”由平台依据{Day(review.EvidenceAt)}的业务数据自动生成。");
        }
        if (a.Guidance.Count > 0)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"指导培育：共{a.Guidance.Count}次，")
                .Append(string.Join("；", a.Guidance.Select(g => $"{g.HeldOn.Written()}{GuidanceName(g.Kind)}（{g.GuidedBy}）：{g.Topic}")))
                .Append('。');
        }
        return text.ToString();
    }

    public static string GuidanceName(GuidanceKind kind) => kind switch
    {
        GuidanceKind.SiteVisit => "现场查看",
        GuidanceKind.Discussion => "交流座谈",
        _ => "参观学习",
    };

    private static byte[] Form(NominationView a, SKTypeface typeface, string annex, string title, DateTime? filledAt, IReadOnlyList<FormRow> rows) =>
        PdfPages.Render(new SKDocumentPdfMetadata
        {
            Title = title + " " + a.SubjectName,
            Author = a.LeadUnitName,
            Creation = filledAt ?? a.CreatedAt,
            Modified = filledAt ?? a.CreatedAt,
        }, typeface, PdfPages.A4Width, PdfPages.A4Height, next =>
        {
            var page = next();
            page.Text(annex + "：", Left, Top + 4, 12, PageWriter.Ink);
            page.Centered(title, Top + 44, 19, PageWriter.Ink);
            var filled = filledAt is { } at ? Day(at) : $"{a.Year}年  月  日";
            page.Right("填表时间：" + filled, Right, Top + 76, 12);
            var table = new FormTable(next, Left, Right, Top, Bottom);
            table.StartOn(page, Top + 88);
            foreach (var row in rows)
            {
                table.Write(row);
            }
        });

    private static string Day(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ChinaDay().Written();
}
