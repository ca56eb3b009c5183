using Microsoft.AspNetCore.Mvc;

namespace Association.Api.Platform.Errors;

/// <summary>
/// What a problem says, kept as codes until the answer is written, when <see cref="ProblemLocalizer"/> turns it into
/// the caller's language. It rides in the problem's extensions under a key no client sees: the writer removes it.
/// </summary>
internal sealed record ProblemText(string Code, object[] Args, IReadOnlyList<FieldError> Fields)
{
    internal const string Key = "\u0001text";

    internal static void Attach(ProblemDetails problem, string code, object[] args, IReadOnlyList<FieldError>? fields = null) =>
        problem.Extensions[Key] = new ProblemText(code, args, fields ?? []);
}
