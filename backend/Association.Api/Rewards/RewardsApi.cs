using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Rewards;

/// <summary>The points shop's catalogue of a sub-district: kept by its SubDistrictAdmins, read by its members and staff.</summary>
public static class RewardsApi
{
    public static RouteGroupBuilder MapRewardsApi(this RouteGroupBuilder api)
    {
        api.MapPost("", CreateReward)
            .WithSummary("Add an item to the sub-district's catalogue (SubDistrictAdmin)")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{id}", EditReward)
            .WithSummary("Change an item of the catalogue: name, picture, points, limit, availability (SubDistrictAdmin)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/stock", ChangeRewardStock)
            .WithSummary("Add items to the stock or take some out, with a reason (SubDistrictAdmin); the stock never goes below zero")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("", ListRewards)
            .WithSummary("The catalogue of the caller's sub-district: items available today, or all of them for its staff")
            .ProducesValidationProblem();
        return api;
    }

    private const string SubDistrict = """
        SELECT COUNT(*) FROM org_units target WHERE target.id = @subDistrictId AND target.kind = 'SubDistrict' AND
        """ + " " + Scope.SubDistrictAdminOf;

    private const string Insert = """
        INSERT INTO reward_items (sub_district_id, name, description, picture_url, points, stock, per_member_limit, limit_period,
                                  available_from, available_until, created_by, created_at)
        VALUES (@subDistrictId, @name, @description, @pictureUrl, @points, @stock, @perMemberLimit, @limitPeriod,
                @availableFrom, @availableUntil, @callerId, @now);
        SELECT LAST_INSERT_ID();
        """;

    internal const string Columns = """
        SELECT i.id, i.sub_district_id, i.name, i.description, i.picture_url, i.points, i.stock, i.per_member_limit,
               i.limit_period, i.available_from, i.available_until
          FROM reward_items i JOIN org_units target ON target.id = i.sub_district_id
        """;

    private const string ById = Columns + " WHERE i.id = @id";

    // The item's row is the lock redemptions take first, so a change of stock and a redemption queue up on it.
    private const string ForAdmin = Columns + " WHERE i.id = @id AND " + Scope.SubDistrictAdminOf + " FOR UPDATE";

    private const string Edit = """
        UPDATE reward_items SET name = @name, description = @description, picture_url = @pictureUrl, points = @points,
               per_member_limit = @perMemberLimit, limit_period = @limitPeriod, available_from = @availableFrom, available_until = @availableUntil
         WHERE id = @id
        """;

    private const string Restock = "UPDATE reward_items SET stock = stock + @change WHERE id = @id";

    private const string StockLog = """
        INSERT INTO reward_stock_changes (item_id, change_by, stock_after, reason, changed_by, changed_at)
        VALUES (@id, @change, @stockAfter, @reason, @callerId, @now)
        """;

    private const string Catalogue = Columns + " WHERE (" + Scope.Sees + " OR (" + Scope.MemberBeneath + """
         AND i.stock > 0 AND (i.available_from IS NULL OR i.available_from <= @today)
                          AND (i.available_until IS NULL OR i.available_until >= @today)))
         ORDER BY i.points, i.id LIMIT @limit OFFSET @offset
        """;

    internal sealed class ItemRow
    {
        public long Id { get; init; }
        public long SubDistrictId { get; init; }
        public string Name { get; init; } = "";
        public string? Description { get; init; }
        public string? PictureUrl { get; init; }
        public int Points { get; init; }
        public int Stock { get; init; }
        public int? PerMemberLimit { get; init; }
        public string LimitPeriod { get; init; } = "";
        public DateTime? AvailableFrom { get; init; }
        public DateTime? AvailableUntil { get; init; }

        public RewardItem ToView() => new(Id, SubDistrictId, Name, Description, PictureUrl, Points, Stock, PerMemberLimit,
            Enum.Parse<LimitPeriod>(LimitPeriod), AvailableFrom is { } from ? DateOnly.FromDateTime(from) : null,
            AvailableUntil is { } until ? DateOnly.FromDateTime(until) : null);
    }

    public static async Task<Results<Created<RewardItem>, ValidationProblem, ProblemHttpResult>> CreateReward(
        NewRewardRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubDistrict, new { request.SubDistrictId, callerId }, transaction, cancellationToken: ct)) == 0)
        {
            return Problems.NotFound("org.subDistrict.notFound");
        }
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Insert, new
        {
            request.SubDistrictId, name = request.Name!.Trim(), description = request.Description?.Trim(), request.PictureUrl, request.Points, request.Stock,
            request.PerMemberLimit, limitPeriod = request.LimitPeriod.ToString(),
            availableFrom = request.AvailableFrom?.ToDateTime(TimeOnly.MinValue), availableUntil = request.AvailableUntil?.ToDateTime(TimeOnly.MinValue),
            callerId, now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        var item = await connection.QuerySingleAsync<ItemRow>(new CommandDefinition(ById, new { id }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/rewards/{id}", item.ToView(), ct);
    }

    public static async Task<Results<Ok<RewardItem>, ValidationProblem, ProblemHttpResult>> EditReward(
        long id, EditRewardRequest request, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition(ForAdmin, new { id, callerId }, transaction, cancellationToken: ct)) is null)
        {
            return Problems.NotFound("rewards.item.notFound");
        }
        await connection.ExecuteAsync(new CommandDefinition(Edit, new
        {
            id, name = request.Name!.Trim(), description = request.Description?.Trim(), request.PictureUrl, request.Points, request.PerMemberLimit,
            limitPeriod = request.LimitPeriod.ToString(), availableFrom = request.AvailableFrom?.ToDateTime(TimeOnly.MinValue),
            availableUntil = request.AvailableUntil?.ToDateTime(TimeOnly.MinValue),
        }, transaction, cancellationToken: ct));
        var item = await connection.QuerySingleAsync<ItemRow>(new CommandDefinition(ById, new { id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(item.ToView());
    }

    public static async Task<Results<Ok<RewardItem>, ValidationProblem, ProblemHttpResult>> ChangeRewardStock(
        long id, StockChangeRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var item = await connection.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition(ForAdmin, new { id, callerId }, transaction, cancellationToken: ct));
        if (item is null)
        {
            return Problems.NotFound("rewards.item.notFound");
        }
        if (item.Stock + request.Change < 0)
        {
            return Problems.Conflict("rewards.stock.belowZero", item.Stock);
        }
        await connection.ExecuteAsync(new CommandDefinition(Restock, new { id, request.Change }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(StockLog, new
        {
            id, request.Change, stockAfter = item.Stock + request.Change, reason = request.Reason!.Trim(), callerId, now = time.DbUtcNow(),
        }, transaction, cancellationToken: ct));
        var changed = await connection.QuerySingleAsync<ItemRow>(new CommandDefinition(ById, new { id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(changed.ToView());
    }

    public static async Task<Results<Ok<IReadOnlyList<RewardItem>>, ValidationProblem>> ListRewards(
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition(Catalogue, new
        {
            callerId = http.User.UserId(), today = time.Today().ToDateTime(TimeOnly.MinValue), limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<RewardItem>>(rows.Select(r => r.ToView()).ToList());
    }
}
