using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Association.Api.Platform.Errors;

/// <summary>The word for an enum value in the request's language, or in Chinese; the value itself stays the JSON code.</summary>
public static class EnumLabels
{
    private static readonly ResourceManager Resources = new(typeof(Messages).FullName!, typeof(Messages).Assembly);
    private static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo("zh-CN");

    public static string Key(Enum value) => $"enum.{value.GetType().Name}.{value}";

    public static string Label(IStringLocalizer localizer, Enum value)
    {
        var found = localizer[Key(value)];
        return found.ResourceNotFound ? value.ToString() : found.Value;
    }

    /// <summary>For what is read in Chinese whoever asked: export sheets, subscribe messages, notices.</summary>
    public static string Chinese(Enum value) => Resources.GetString(Key(value), ChineseCulture) ?? value.ToString();

    /// <summary>Any message of the resource file in Chinese, for text written outside a request.</summary>
    public static string ChineseText(string key, params object[] args)
    {
        var format = Resources.GetString(key, ChineseCulture) ?? throw new KeyNotFoundException(key);
        return args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
