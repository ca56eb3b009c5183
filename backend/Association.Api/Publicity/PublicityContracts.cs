using System.Text.Json.Serialization;
using Association.Api.Platform;

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
public sealed record NewPublicityRequest(PublicityKind Kind, string? Title, string? Outlet, string? Link, DateOnly HappenedOn, string? Description);

public sealed record PublicityView(long Id, long MemberId, long GridId, PublicityKind Kind, string Title, string? Outlet, string? Link,
    DateOnly HappenedOn, string? Description, PublicityStatus Status, string? Reason, DateTime CreatedAt);
