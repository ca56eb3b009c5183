using System.Text.Json.Nodes;
using Association.Api.Platform.Errors;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Association.Api.Platform.OpenApi;

/// <summary>
/// The contract lists every error code (schema <c>ErrorCode</c>, with its Chinese and English words) so the
/// generated TypeScript has them as a union, and every enum value carries its Chinese label, so a front end never
/// hard-codes words the API already has.
/// </summary>
internal static class ErrorCodesInContract
{
    public const string ErrorCodeSchema = "ErrorCode";

    public static void Describe(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var chinese = MessageCatalog.Chinese;
        var english = MessageCatalog.English;
        var codes = MessageCatalog.Codes.ToList();
        var errorCode = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A stable error code; it never changes once published. x-messages holds its Chinese words, x-messages-en the English.",
            Enum = codes.Select(c => (JsonNode)JsonValue.Create(c)).ToList(),
            Extensions = new Dictionary<string, IOpenApiExtension>
            {
                ["x-messages"] = Words(codes, chinese),
                ["x-messages-en"] = Words(codes, english),
            },
        };
        schemas[ErrorCodeSchema] = errorCode;
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            if (schemas.TryGetValue(name, out var found) && found is OpenApiSchema problem)
            {
                AddProblemMembers(problem, document, name == "HttpValidationProblemDetails");
            }
        }
    }

    /// <summary>Chinese (x-enum-labels) and English (x-enum-labels-en) words for each value of an enum schema.</summary>
    public static Task LabelEnums(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (!type.IsEnum || schema.Enum is not { Count: > 0 })
        {
            return Task.CompletedTask;
        }
        var chinese = MessageCatalog.Chinese;
        var english = MessageCatalog.English;
        var names = Enum.GetNames(type);
        schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        schema.Extensions["x-enum-labels"] = Words(names, chinese, $"enum.{type.Name}.");
        schema.Extensions["x-enum-labels-en"] = Words(names, english, $"enum.{type.Name}.");
        return Task.CompletedTask;
    }

    private static JsonNodeExtension Words(IEnumerable<string> keys, IReadOnlyDictionary<string, string> words, string prefix = "")
    {
        var node = new JsonObject();
        foreach (var key in keys)
        {
            node[key] = words.TryGetValue(prefix + key, out var text) ? text : null;
        }
        return new JsonNodeExtension(node);
    }

    private static void AddProblemMembers(OpenApiSchema problem, OpenApiDocument document, bool withFields)
    {
        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties["code"] = new OpenApiSchemaReference(ErrorCodeSchema, document);
        problem.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Give it to the administrator when asking about this error." };
        problem.Required ??= new HashSet<string>();
        problem.Required.Add("code");
        problem.Required.Add("status");
        problem.Required.Add("title");
        if (withFields)
        {
            problem.Properties["fieldCodes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per field, in the same order as errors: the code of each message.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(ErrorCodeSchema, document) },
            };
        }
    }
}
