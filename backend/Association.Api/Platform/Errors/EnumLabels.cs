using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Association.Api.Platform.Errors;

/// <summary>The word for an enum value in the request's language, or in Chinese; the value itself stays the JSON code.</summary>
public static class EnumLabels
{
    private static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo("zh-CN");

    public static string Key(Enum value) => $"enum.{value.GetType().Name}.{value}";

    public static string Label(IStringLocalizer localizer, Enum value)
    {
        var found = localizer[Key(value)];
        return found.ResourceNotFound ? value.ToString() : found.Value;
    }

    /// <summary>For what is read in Chinese whoever asked: export sheets, subscribe messages, notices.</summary>
    public static string Chinese(Enum value) => MessageCatalog.Resources.GetString(Key(value), ChineseCulture) ?? value.ToString();
}
