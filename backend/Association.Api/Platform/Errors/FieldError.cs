namespace Association.Api.Platform.Errors;

/// <summary>
/// One field's fault: the JSON name (or path, <c>items[2].memberId</c>) as the client sent it, a stable code, and the
/// values its message names after the field's own label.
/// </summary>
public sealed record FieldError(string Field, string Code, params object[] Args);
