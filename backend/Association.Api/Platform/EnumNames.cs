using System.Text.Json.Serialization;

namespace Association.Api.Platform;

/// <summary>
/// An enum in JSON by its name only. A number (<c>{"role": -1}</c>) is refused as malformed input, a 400 naming the
/// field, instead of binding a value no code expects.
/// </summary>
public sealed class EnumNames<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
