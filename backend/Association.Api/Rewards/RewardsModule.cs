namespace Association.Api.Rewards;

/// <summary>Points redemption (积分兑换): the sub-district's catalogue, members' redemptions, hand-over and cancellation.</summary>
public static class RewardsModule
{
    public static void MapRewards(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/rewards").WithTags("Rewards").RequireAuthorization().MapRewardsApi().MapRedeemApi();
        app.MapGroup("/api/redemptions").WithTags("Rewards").RequireAuthorization().MapRedemptionsApi();
    }
}
