using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Association.Tests.Infrastructure;

public static partial class ProblemAssertions
{
    /// <summary>
    /// Asserts an RFC 9457 answer with the given status, a stable code, Chinese words for the person holding the phone
    /// (or English when the request asked for it) and nothing internal; returns its body.
    /// </summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Matches(CodePattern(), body.Code());
        var english = response.RequestMessage?.Headers.AcceptLanguage.Any(l => l.Value.StartsWith("en", StringComparison.Ordinal)) == true;
        foreach (var text in Words(body))
        {
            if (english)
            {
                Assert.False(HasChinese(text), $"Chinese in an English answer: {text}");
            }
            else
            {
                AssertChinese(text);
            }
        }
        var raw = body.GetRawText();
        Assert.DoesNotContain("   at ", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Association.", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", raw, StringComparison.Ordinal);
        return body;
    }

    public static string Code(this JsonElement problem) => problem.GetProperty("code").GetString()!;

    /// <summary>The field is named in <c>errors</c> (with a message) and in <c>fieldCodes</c> with this code.</summary>
    public static void AssertFieldCode(this JsonElement problem, string field, string code)
    {
        Assert.True(problem.TryGetProperty("fieldCodes", out var codes), problem.GetRawText());
        Assert.True(codes.TryGetProperty(field, out var forField), problem.GetRawText());
        Assert.Contains(code, forField.EnumerateArray().Select(c => c.GetString()));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    /// <summary>Text a resident reads: some Chinese, and no English words (identifiers like JSON or ID aside).</summary>
    public static void AssertChinese(string text)
    {
        Assert.True(HasChinese(text), $"Not Chinese: {text}");
        Assert.False(EnglishWord().IsMatch(text), $"English in: {text}");
    }

    /// <summary>No cell of an export sheet, header or value, is English prose.</summary>
    public static void AssertNoEnglishIn(IEnumerable<IDictionary<string, object>> rows)
    {
        foreach (var row in rows)
        {
            foreach (var (header, value) in row)
            {
                AssertChinese(header);
                if (value is string text)
                {
                    Assert.False(EnglishWord().IsMatch(text), $"English in {header}: {text}");
                }
            }
        }
    }

    /// <summary>Each value of a subscribe message as WeChat received it is Chinese words (or a number, date or code).</summary>
    public static void AssertSubscribeMessageInChinese(string sentJson)
    {
        using var sent = JsonDocument.Parse(sentJson);
        foreach (var field in sent.RootElement.GetProperty("data").EnumerateObject())
        {
            var value = field.Value.GetProperty("value").GetString()!;
            Assert.False(EnglishWord().IsMatch(value), $"English in {field.Name}: {value}");
        }
    }

    public static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    private static IEnumerable<string> Words(JsonElement body)
    {
        yield return body.GetProperty("title").GetString()!;
        yield return body.GetProperty("detail").GetString()!;
        if (body.TryGetProperty("errors", out var errors))
        {
            foreach (var field in errors.EnumerateObject())
            {
                foreach (var message in field.Value.EnumerateArray())
                {
                    yield return message.GetString()!;
                }
            }
        }
    }

    [GeneratedRegex(@"^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$")]
    private static partial Regex CodePattern();

    // Words of four letters or more, other than the few names a Chinese text uses as they are; a word inside a code the
    // user typed (TX-NOPE-01, “many”) is theirs.
    [GeneratedRegex(@"(?<![A-Za-z0-9“-])(?!(?:JSON|JPEG|WebP|https|Idempotency|ASCII|traceId|file|login|xlsx)(?![A-Za-z]))[A-Za-z]{4,}(?![A-Za-z0-9-])")]
    private static partial Regex EnglishWord();
}
