using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

namespace Association.Api.Rewards;

/// <summary>The period a per-member limit counts in, in China time.</summary>
[JsonConverter(typeof(EnumNames<LimitPeriod>))]
public enum LimitPeriod
{
    Month,
    Quarter,
    Year,
}

[JsonConverter(typeof(EnumNames<RedemptionStatus>))]
public enum RedemptionStatus
{
    Pending,
    Fulfilled,
    Cancelled,
}

/// <param name="PictureUrl">A picture of the item, on an https address.</param>
/// <param name="PerMemberLimit">How many one member may redeem per <c>LimitPeriod</c>; none for no limit.</param>
public sealed record NewRewardRequest(long SubDistrictId, string? Name, string? Description, string? PictureUrl, int Points, int Stock,
    int? PerMemberLimit, LimitPeriod LimitPeriod, DateOnly? AvailableFrom, DateOnly? AvailableUntil) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(SubDistrictId, "subDistrictId", 1, long.MaxValue, "org.subDistrict.notFound");
        rules.Text(Name, "name", 2, 60);
        rules.OptionalText(Description, "description", 500);
        if (PictureUrl is not null)
        {
            rules.Check(PictureUrl.Length <= 300 && Uri.TryCreate(PictureUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps,
                "pictureUrl", "rewards.item.pictureUrl");
        }
        rules.Range(Points, "points", 1, 1_000_000);
        rules.Range(Stock, "stock", 0, 1_000_000);
        if (PerMemberLimit is not null)
        {
            rules.Range(PerMemberLimit, "perMemberLimit", 1, 1_000);
        }
        rules.Defined<LimitPeriod>(LimitPeriod, "limitPeriod");
        rules.Check(AvailableFrom is null || AvailableUntil is null || AvailableFrom <= AvailableUntil, "availableUntil", "rewards.item.window");
    }
}

/// <summary>The item's description as the catalogue shows it; the stock moves by <see cref="StockChangeRequest"/> only.</summary>
public sealed record EditRewardRequest(string? Name, string? Description, string? PictureUrl, int Points, int? PerMemberLimit,
    LimitPeriod LimitPeriod, DateOnly? AvailableFrom, DateOnly? AvailableUntil) : IValidatedRequest
{
    public void Validate(RequestRules rules) =>
        new NewRewardRequest(1, Name, Description, PictureUrl, Points, 0, PerMemberLimit, LimitPeriod, AvailableFrom, AvailableUntil).Validate(rules);
}

/// <param name="Change">Items added to the stock (a delivery), or taken out when negative (damaged, miscounted); never below zero.</param>
public sealed record StockChangeRequest(int Change, string? Reason) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Check(Change is not 0 && Change is >= -1_000_000 and <= 1_000_000, "change", "rewards.stock.change");
        rules.Reason(Reason);
    }
}

public sealed record RewardItem(long Id, long SubDistrictId, string Name, string? Description, string? PictureUrl, int Points, int Stock,
    int? PerMemberLimit, LimitPeriod LimitPeriod, DateOnly? AvailableFrom, DateOnly? AvailableUntil);

/// <param name="Name">The member's name, masked.</param>
public sealed record RedemptionView(long Id, long ItemId, string ItemName, long MemberId, string Name, int Points, RedemptionStatus Status,
    DateTime CreatedAt, DateTime? DecidedAt, int Balance);
