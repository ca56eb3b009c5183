using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Association.Api.Platform.Errors;

/// <summary>
/// Every ProblemDetails the API writes passes here: it gets a stable <c>code</c> (its own, or the status's), and its
/// title, detail and field messages from <see cref="Messages"/> in the request's language. English words a framework
/// component put there are replaced, so no answer speaks .NET to a resident.
/// </summary>
internal static class ProblemLocalizer
{
    public const string CodeKey = "code";
    public const string FieldCodesKey = "fieldCodes";

    public static void Localize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var localizer = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Messages>>();
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var text = problem.Extensions.Remove(ProblemText.Key, out var attached) ? attached as ProblemText : null;
        var code = text?.Code ?? DefaultCode(status);

        problem.Extensions[CodeKey] = code;
        problem.Title = Lookup(localizer, $"title.{status}") ?? localizer[status >= 500 ? "title.500" : "title.400"];
        if (text is { Fields.Count: > 0 } && problem is HttpValidationProblemDetails validation)
        {
            var messages = text.Fields.Select(f => (f.Field, f.Code, Message: Sentence(FieldMessage(localizer, f)))).ToList();
            validation.Errors = messages.GroupBy(m => m.Field).ToDictionary(g => g.Key, g => g.Select(m => m.Message).ToArray());
            problem.Extensions[FieldCodesKey] = messages.GroupBy(m => m.Field).ToDictionary(g => g.Key, g => g.Select(m => m.Code).ToArray());
            problem.Detail = string.Join(Chinese ? "；" : " ", messages.Select(m => m.Message).Distinct().Take(3));
        }
        else
        {
            problem.Detail = Lookup(localizer, code, LocalizeArgs(localizer, text?.Args ?? [])) ?? problem.Title;
        }
    }

    private static bool Chinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";

    // An English message may start with a field's label ("units must be ..."); a sentence starts with a capital.
    private static string Sentence(string message) =>
        message.Length > 0 && char.IsAsciiLetterLower(message[0]) ? char.ToUpperInvariant(message[0]) + message[1..] : message;

    public static string FieldLabel(IStringLocalizer localizer, string field)
    {
        var leaf = field;
        var index = -1;
        var dot = field.LastIndexOf('.');
        if (dot >= 0)
        {
            leaf = field[(dot + 1)..];
        }
        var bracket = field.LastIndexOf('[');
        if (bracket >= 0 && field.IndexOf(']', bracket) is var close and > 0
            && int.TryParse(field.AsSpan(bracket + 1, close - bracket - 1), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            if (dot < bracket)
            {
                leaf = field[..bracket];
                leaf = leaf[(leaf.LastIndexOf('.') + 1)..];
            }
        }
        var label = Lookup(localizer, $"field.{leaf}") ?? localizer["field.unknown"];
        return index >= 0 ? localizer["field.indexed", index + 1, label] : label;
    }

    private static string FieldMessage(IStringLocalizer localizer, FieldError error) =>
        Lookup(localizer, error.Code, [FieldLabel(localizer, error.Field), .. LocalizeArgs(localizer, error.Args)])
        ?? localizer["validation.invalid", FieldLabel(localizer, error.Field)];

    private static object[] LocalizeArgs(IStringLocalizer localizer, object[] args) =>
        args.Select(a => a switch
        {
            Enum value => EnumLabels.Label(localizer, value),
            DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => a,
        }).ToArray();

    private static string? Lookup(IStringLocalizer localizer, string key, params object[] args)
    {
        var found = args.Length == 0 ? localizer[key] : localizer[key, args];
        return found.ResourceNotFound ? null : found.Value;
    }

    private static string DefaultCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "http.badRequest",
        StatusCodes.Status401Unauthorized => "auth.token.missing",
        StatusCodes.Status403Forbidden => "auth.forbidden",
        StatusCodes.Status404NotFound => "http.notFound",
        StatusCodes.Status405MethodNotAllowed => "http.methodNotAllowed",
        StatusCodes.Status406NotAcceptable => "http.notAcceptable",
        StatusCodes.Status409Conflict => "http.conflict",
        StatusCodes.Status413PayloadTooLarge => "http.body.tooLarge",
        StatusCodes.Status415UnsupportedMediaType => "http.mediaType.unsupported",
        StatusCodes.Status422UnprocessableEntity => "http.unprocessable",
        StatusCodes.Status429TooManyRequests => "http.tooManyRequests",
        StatusCodes.Status502BadGateway => "server.weChat.refused",
        StatusCodes.Status503ServiceUnavailable => "server.unavailable",
        >= 500 => "server.error",
        _ => "http.badRequest",
    };
}
