using Association.Api.Patrols;
using Association.Api.Platform.Xlsx;
using Association.Tests.Exports;

namespace Association.Tests.Platform;

public sealed class XlsxWorkbookTests
{
    private static async Task<Workbook> WriteAsync(Action<XlsxWorkbook> fill)
    {
        await using var book = XlsxWorkbook.Create();
        fill(book);
        await using var file = book.Finish();
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return Workbook.Read(copy.ToArray());
    }

    [Fact]
    public async Task Finish_WithTwoSheets_IsReadBackWithHeadersTypesAndChineseWords()
    {
        var at = new DateTime(2026, 3, 31, 16, 30, 0, DateTimeKind.Utc);

        var book = await WriteAsync(b =>
        {
            var first = b.AddSheet("巡防记录", [new("编号"), new("时间"), new("日期"), new("状态"), new("是否"), new("时长"), new("空")]);
            first.Add(1L, at, new DateOnly(2026, 4, 1), PatrolStatus.Confirmed, true, 2.5m, null);
            first.Add(2, at, null, PatrolStatus.Rejected, false, 0.25d);
            b.AddSheet("说明", [new("内容", 40)]).Add("第二张表");
        });

        Assert.Equal(["巡防记录", "说明"], book.SheetNames);
        var rows = book["巡防记录"];
        Assert.Equal(2, rows.Count);
        Assert.Equal(1d, rows[0]["编号"]);
        Assert.Equal("2026-04-01 00:30:00", rows[0]["时间"]);
        Assert.Equal("2026-04-01", rows[0]["日期"]);
        Assert.Equal("已确认", rows[0]["状态"]);
        Assert.Equal("是", rows[0]["是否"]);
        Assert.Equal(2.5d, rows[0]["时长"]);
        Assert.Null(rows[0]["空"]);
        Assert.Equal("否", rows[1]["是否"]);
        Assert.Equal("第二张表", Assert.Single(book["说明"])["内容"]);
    }

    [Fact]
    public async Task Add_WhenTextHoldsWhatXmlForbidsOrIsTooLong_WritesWhatASheetCanHold()
    {
        var hostile = "居民\u0001留言\u0008<script>&\"'\uD800末尾\uFFFE=1+1";
        var huge = new string('长', 40_000);

        var book = await WriteAsync(b =>
        {
            var sheet = b.AddSheet("表[1]:*?/\\名称超过三十一个字符的表名称超过三十一个字符的表名称", [new("说明"), new("长文")]);
            sheet.Add(hostile, huge);
        });

        var name = Assert.Single(book.SheetNames);
        Assert.True(name.Length <= 31);
        Assert.DoesNotContain(name, c => "[]:*?/\\".Contains(c));
        var row = Assert.Single(book[name]);
        Assert.Equal("居民留言<script>&\"'末尾=1+1", row["说明"]);
        Assert.Equal(XlsxText.MaxCellLength, ((string)row["长文"]!).Length);
    }

    [Fact]
    public async Task Add_ManyRows_AllComeBackInOrder()
    {
        var book = await WriteAsync(b =>
        {
            var sheet = b.AddSheet("数据", [new("序号"), new("名称")]);
            for (var i = 1; i <= 20_000; i++)
            {
                sheet.Add(i, $"第{i}行");
            }
        });

        var rows = book["数据"];
        Assert.Equal(20_000, rows.Count);
        Assert.Equal("第20000行", rows[^1]["名称"]);
    }

    [Fact]
    public async Task DisposeAsync_WithoutFinish_LeavesNoFileBehind()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "export-*.xlsx").Length;
        await using (var book = XlsxWorkbook.Create())
        {
            book.AddSheet("半张", [new("列")]).Add("值");
        }
        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "export-*.xlsx").Length);
    }
}
