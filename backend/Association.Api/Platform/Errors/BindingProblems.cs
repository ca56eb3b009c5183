using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace Association.Api.Platform.Errors;

/// <summary>
/// What the framework refused before any handler ran (a body that is not JSON, a value of the wrong type, a field the
/// operation does not take, a route value that is not a number) as a problem naming the field, in a code.
/// </summary>
internal static partial class BindingProblems
{
    public static ProblemDetails Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Details(bad.StatusCode, "http.body.tooLarge");
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return Problems.Details(bad.StatusCode, "http.mediaType.unsupported");
        }
        if (bad.InnerException is JsonException json)
        {
            return Field(JsonCode(json), JsonField(json.Path));
        }
        if (bad.StatusCode != StatusCodes.Status400BadRequest)
        {
            return Problems.Details(bad.StatusCode, "http.badRequest");
        }
        var parameter = ParameterName().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value : null;
        return bad.Message switch
        {
            _ when parameter is null => Problems.Details(StatusCodes.Status400BadRequest, "http.badRequest"),
            var m when m.Contains("from body", StringComparison.Ordinal) || m.Contains("request body", StringComparison.Ordinal) =>
                Field("http.body.missing", "body"),
            var m when m.StartsWith("Required parameter", StringComparison.Ordinal) => Field("http.parameter.missing", parameter),
            _ => Field("http.parameter.invalid", parameter),
        };
    }

    private static string JsonCode(JsonException json) => json switch
    {
        _ when json.InnerException?.GetType().Name == "JsonReaderException" => "http.body.malformed",
        _ when json.Message.Contains("could not be mapped", StringComparison.Ordinal) => "http.body.unknownField",
        _ when json.Message.Contains("could not be converted", StringComparison.Ordinal) => "http.body.wrongType",
        _ when json.Message.Contains("missing required properties", StringComparison.Ordinal) => "validation.required",
        _ => "http.body.malformed",
    };

    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static HttpValidationProblemDetails Field(string code, string field)
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [code] })
        {
            Status = StatusCodes.Status400BadRequest,
        };
        ProblemText.Attach(problem, code, [], [new FieldError(field, code)]);
        return problem;
    }

    [GeneratedRegex("""parameter "(?:[^" ]+ )?(?<name>[^" ]+)"?""")]
    private static partial Regex ParameterName();
}
