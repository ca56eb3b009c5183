using System.Reflection;
using Association.Api.Platform.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Association.Api.Platform.OpenApi;

/// <summary>
/// What every operation of the contract says without each endpoint repeating it: its id (the handler's name),
/// the session it needs and the 401 it answers without one, the Idempotency-Key it takes, that any error is a
/// ProblemDetails, and what a file download carries.
/// </summary>
internal static class ContractConventions
{
    public const string SessionScheme = "session";
    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Auth"] = "Sign in with a wx.login code, renew and end sessions, and who I am.",
        ["Organisation"] = "The sub-district's tree of villages (communities) and grids, and household counts.",
        ["Roles"] = "Grid leaders and admins assigned on units of the tree.",
        ["Membership"] = "Applications to join as a red-armband member and their decisions.",
        ["Members"] = "Members, their lifecycle, personal data and exports, within the caller's scope.",
        ["Recruitment and coverage"] = "Recruitment targets per year and coverage of households per grid and village.",
        ["Points"] = "Points rules, the append-only ledger, adjustments, reversals and statements.",
        ["Patrols"] = "Patrols with check-ins, confirmed by a leader who did not patrol.",
        ["Grid reports"] = "Hazards, disputes and information reported in a grid, and their workflow.",
        ["Publicity"] = "Publicity work recorded by members and published by leaders.",
        ["Events"] = "Member activities (会员活动): events of a unit, sign-up with a waiting list, check-in by rotating code or position, attendance, service time.",
        ["Rewards"] = "Points redemption (积分兑换): the catalogue of a sub-district, redemptions debited from the balance, hand-over and refunds.",
        ["Plans"] = "Quarterly work plans (季度工作安排) of a unit with their items and events, published to members, and the quarter-end review (定期总结) with counted figures.",
        ["Campaigns"] = "The Ten Safeties campaign (十大平安创建): a district's year with its phases, standards and quotas; subjects; applications, guidance, review forms with the system's evidence, lists, the joint review, forms and plaques as PDF.",
        ["Console"] = "The office's web console: sign-in by scanning a one-time ticket with the mini-program, the console's cookie session and sign-out.",
        ["Figures"] = "Figures over time (统计): a unit and its children per month or quarter, from the hourly monthly rollup.",
        ["Certificates"] = "Service certificates (志愿服务证明): issued with frozen figures, downloaded as PDF, revoked, and verified by anyone from the serial.",
        ["Photos"] = "Photos uploaded for check-ins, reports and publicity.",
        ["Insurance"] = "Public-security insurance policies, members' cover, gaps and notices.",
        ["Rankings"] = "Quarterly rankings, live leaderboards and my standing.",
        ["Awards"] = "Yearly award candidates (评先评优) and the confirmed list.",
        ["Jobs"] = "The background jobs dashboard for SubDistrictAdmins.",
        ["Audit"] = "Reveals of personal numbers, roster exports and role changes, for SubDistrictAdmins.",
        ["Notifications"] = "The caller's inbox (站内消息), and the subscribe-message grants the mini-program reports.",
        ["To-dos"] = "What waits for the caller (待办), counted in their scope, with the operation that acts on each item.",
    };

    public static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Association API";
        document.Info.Version = "v1";
        document.Info.Description = "Backend of the Datuopu safety volunteer association's mini-program. "
            + "Guide for mini-program developers: miniprogram-contracts/README.md.";
        document.Info.License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" };
        document.Servers = [new OpenApiServer { Url = "http://127.0.0.1:5080", Description = "scripts/run.sh on this machine" }];
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name && TagDescriptions.TryGetValue(name, out var text) ? text : null;
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The opaque access token from POST /api/auth/sign-in or /api/auth/renew.",
        };
        ErrorCodesInContract.Describe(document);
        return Task.CompletedTask;
    }

    public static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= metadata.OfType<MethodInfo>().FirstOrDefault()?.Name;
        operation.Responses ??= [];

        var needsSession = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        // An empty requirement says "no credentials" explicitly, so linters and generators do not guess.
        operation.Security =
        [
            needsSession
                ? new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionScheme, context.Document)] = [] }
                : new OpenApiSecurityRequirement(),
        ];
        if (needsSession)
        {
            AddProblem(operation, context, "401", "No session, or the access token expired: renew it, then repeat the request.");
        }

        if (metadata.OfType<IdempotentAttribute>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "One key per user action, reused on every retry of that action: the original response is "
                    + "returned again instead of creating twice. 1–100 visible ASCII characters.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 100 },
            });
            AddProblem(operation, context, "409", "A request with this Idempotency-Key is still being processed.");
            AddProblem(operation, context, "422", "This Idempotency-Key was used before with a different body.");
        }

        DescribeFiles(operation, metadata);
        AddProblem(operation, context, "default", "Any other error, for example 503 while the database is unreachable.");
        return Task.CompletedTask;
    }

    // The server reads a missing member as null, so a nullable member is not one the caller must send.
    public static Task NullMeansOptional(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property is OpenApiSchema { Type: { } type } && type.HasFlag(JsonSchemaType.Null))
                {
                    required.Remove(name);
                }
            }
        }
        return Task.CompletedTask;
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
            },
        };
    }

    // Produces(200, contentType: ...) without a body type leaves the response empty; a download is bytes of that type.
    private static void DescribeFiles(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var produces in metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>())
        {
            if (produces.Type is not null && produces.Type != typeof(void) || !produces.ContentTypes.Any()
                || !operation.Responses!.TryGetValue(produces.StatusCode.ToString(), out var response) || response is not OpenApiResponse concrete)
            {
                continue;
            }
            concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var contentType in produces.ContentTypes)
            {
                concrete.Content.TryAdd(contentType, new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                });
            }
        }
    }
}
