using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Association.Api.Members;

/// <summary>The privacy notice a resident reads before signing in or applying: public, like any such notice.</summary>
public static class PrivacyNoticeApi
{
    public static RouteGroupBuilder MapPrivacyNoticeApi(this RouteGroupBuilder api)
    {
        api.MapGet("", GetPrivacyNotice)
            .WithSummary("The privacy notice in force, its version and text (no sign-in needed)")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return api;
    }

    public static Ok<PrivacyNotice> GetPrivacyNotice(IOptions<MembershipOptions> options) =>
        TypedResults.Ok(new PrivacyNotice(options.Value.PrivacyNoticeVersion, options.Value.PrivacyNoticeText));
}
