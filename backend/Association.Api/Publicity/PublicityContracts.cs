using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

namespace Association.Api.Publicity;

[JsonConverter(typeof(EnumNames<PublicityKind>))]
public enum PublicityKind
{
    Event,
    Article,
}

[JsonConverter(typeof(EnumNames<PublicityStatus>))]
public enum PublicityStatus
{
    Submitted,
    Published,
    Rejected,
}

/// <param name="Outlet">Where an article went, e.g. 平安天心V; required for articles.</param>
public sealed record NewPublicityRequest(PublicityKind Kind, string? Title, string? Outlet, string? Link, DateOnly HappenedOn, string? Description)
    : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Defined<PublicityKind>(Kind, "kind");
        rules.Text(Title, "title", 2, 100);
        if (Kind == PublicityKind.Article)
        {
            rules.Text(Outlet, "outlet", 2, 100, "publicity.outlet.required");
        }
        rules.Check(Link is not { Length: > 0 } link
            || (link.Length <= 300 && Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps), "link", "publicity.link.https");
        rules.Check(HappenedOn <= rules.Today && HappenedOn >= rules.Today.AddYears(-1), "happenedOn", "publicity.happenedOn.window");
        rules.OptionalText(Description, "description", 1000);
    }
}

/// <summary>Published publicity as everyone sees it: the author by family name only (<c>张*</c>), as on leaderboards.</summary>
public sealed record PublishedPublicity(long Id, PublicityKind Kind, string Title, string? Outlet, string? Link, DateOnly HappenedOn,
    string? Description, long GridId, string GridName, string Author);

public sealed record PublicityView(long Id, long MemberId, long GridId, PublicityKind Kind, string Title, string? Outlet, string? Link,
    DateOnly HappenedOn, string? Description, PublicityStatus Status, string? Reason, DateTime CreatedAt);
