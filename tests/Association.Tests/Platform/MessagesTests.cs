using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Association.Api.Platform.Errors;
using Association.Tests.Infrastructure;

namespace Association.Tests.Platform;

/// <summary>
/// The one resource file is complete: every code the source answers has Chinese and English words with the same
/// placeholders, no code is left unused, and every field a request can name has a label in both languages.
/// </summary>
public sealed partial class MessagesTests(DemoApp app) : IClassFixture<DemoApp>
{
    private static readonly string SourceRoot = Path.Combine(RepositoryRoot(), "backend", "Association.Api");

    [Fact]
    public void Messages_WhenReadInBothLanguages_HaveTheSameKeysAndPlaceholders()
    {
        var chinese = MessageCatalog.Chinese;
        var english = MessageCatalog.English;

        Assert.Equal(chinese.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, words) in chinese)
        {
            Assert.True(Placeholders(words).SetEquals(Placeholders(english[key])), $"{key}: {words} / {english[key]}");
            ProblemAssertions.AssertChinese(words);
            Assert.False(ProblemAssertions.HasChinese(english[key]), $"{key} in English: {english[key]}");
        }
    }

    [Fact]
    public void Codes_WhenUsedInTheSource_HaveWordsAndNoneIsUnused()
    {
        var codes = MessageCatalog.Codes.ToHashSet(StringComparer.Ordinal);
        var families = codes.Select(c => c[..c.IndexOf('.', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        var used = Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(c => families.Contains(c[..c.IndexOf('.', StringComparison.Ordinal)]))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Except(codes));
        Assert.Empty(codes.Except(used));
    }

    [Fact]
    public async Task FieldLabels_ForEveryFieldARequestNames_ExistInBothLanguages()
    {
        var admin = await app.SubDistrictAdminAsync();
        using var document = JsonDocument.Parse(await admin.Client.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var fields = new SortedSet<string>(StringComparer.Ordinal) { "body" };
        foreach (var operation in document.RootElement.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            foreach (var parameter in operation.Value.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
            {
                if (parameter.GetProperty("in").GetString() is "path" or "query")
                {
                    fields.Add(parameter.GetProperty("name").GetString()!);
                }
            }
            if (operation.Value.TryGetProperty("requestBody", out var body)
                && body.GetProperty("content").TryGetProperty("application/json", out var json)
                && json.GetProperty("schema").TryGetProperty("$ref", out var reference)
                && schemas.GetProperty(reference.GetString()!.Split('/')[^1]).TryGetProperty("properties", out var properties))
            {
                fields.UnionWith(properties.EnumerateObject().Select(p => p.Name));
            }
        }

        var missing = fields.Where(f => !MessageCatalog.Chinese.ContainsKey($"field.{f}") || !MessageCatalog.English.ContainsKey($"field.{f}")).ToList();

        Assert.True(missing.Count == 0, "no label for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EnumLabels_ForEveryEnumTheApiAnswers_ExistInChinese()
    {
        var enums = typeof(Program).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.IsPublic && t.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonConverterAttribute), false).Length > 0);
        var missing = enums.SelectMany(t => Enum.GetValues(t).Cast<Enum>())
            .Where(v => !MessageCatalog.Chinese.ContainsKey(EnumLabels.Key(v)))
            .Select(EnumLabels.Key)
            .ToList();

        Assert.True(missing.Count == 0, "no label for: " + string.Join(", ", missing));
    }

    private static HashSet<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Value).ToHashSet();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Association.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException("Association.sln is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"""([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)+)""")]
    private static partial Regex CodeLiteral();
}
