using Association.Api.Platform.Errors;
using MiniExcelLibs;

namespace Association.Api.Members;

/// <summary>The member list as an .xlsx sheet for the office: Chinese headers and words, masked numbers only.</summary>
public static class MemberExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A sub-district has a few thousand members; the cap keeps one request from building a huge file.</summary>
    public const int MaxRows = 50_000;

    public static byte[] ToXlsx(IEnumerable<MemberView> members)
    {
        var rows = members.Select(m => new Dictionary<string, object?>
        {
            ["会员编号"] = m.MemberNumber,
            ["姓名"] = m.RealName,
            ["网格"] = m.GridName,
            ["手机"] = m.PhoneMasked,
            ["身份证号"] = m.IdNumberMasked,
            ["状态"] = EnumLabels.Chinese(m.Status),
            ["入会日期"] = m.JoinedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["红袖章发放日期"] = m.ArmbandIssuedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["志愿角色"] = string.Join("、", m.VolunteerRoles.Select(r => EnumLabels.Chinese(r))),
        });
        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        return stream.ToArray();
    }
}
