namespace Association.Api.Platform.Errors;

/// <summary>
/// Names the one resource file every word the API answers comes from: <c>Messages.resx</c> (Simplified Chinese,
/// the default) and <c>Messages.en.resx</c> (English, for <c>Accept-Language: en</c>). Its keys are the error codes,
/// <c>title.{status}</c>, <c>field.{jsonName}</c> and <c>enum.{Type}.{Value}</c>.
/// </summary>
public sealed class Messages;
