using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Association.Api.Points;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Rewards;

/// <summary>
/// A member spends points on an item: the item's row is locked first, then the member's totals, so the stock and the balance
/// are read settled and move together with the Redemption entry; the last items go to exactly as many members as there are,
/// and no balance goes below zero. Every write here takes the same order (redemption, item, member) so none deadlock.
/// </summary>
public static class RedemptionsApi
{
    public static RouteGroupBuilder MapRedeemApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/redeem", RedeemReward)
            .WithSummary("Spend points on an item of the catalogue; the balance is debited, the quarter's earned points are not")
            .Idempotent()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static RouteGroupBuilder MapRedemptionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("", ListRedemptions)
            .WithSummary("The caller's own redemptions, or those of members in the caller's scope for staff")
            .ProducesValidationProblem();
        api.MapPost("/{id}/fulfil", FulfilRedemption)
            .WithSummary("Record that the item was handed over (an admin of the member's grid)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id}/cancel", CancelRedemption)
            .WithSummary("Cancel before hand-over, by the member or an admin: the points come back by a Refund entry, the item to stock")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private const string LockItem = """
        SELECT i.id, i.points, i.stock, i.per_member_limit, i.limit_period, i.available_from, i.available_until,
        """ + " " + Scope.MemberIdBeneath + """
         AS member_id
          FROM reward_items i JOIN org_units target ON target.id = i.sub_district_id
         WHERE i.id = @id AND (
        """ + Scope.MemberBeneath + " OR " + Scope.Sees + ") FOR UPDATE";

    private const string RedeemedInPeriod = """
        SELECT COUNT(*) FROM redemptions WHERE item_id = @id AND member_id = @memberId AND status <> 'Cancelled' AND created_at >= @since
        """;

    private const string Balance = "SELECT balance FROM member_point_totals WHERE member_id = @memberId";

    private const string Take = """
        UPDATE reward_items SET stock = stock - 1 WHERE id = @id;
        INSERT INTO redemptions (item_id, member_id, points, status, entry_id, created_at) VALUES (@id, @memberId, @points, 'Pending', @entryId, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string Columns = """
        SELECT r.id, r.item_id, i.name AS item_name, r.member_id, m.real_name, r.points, r.status, r.created_at, r.decided_at,
               CAST(COALESCE(t.balance, 0) AS SIGNED) AS balance
          FROM redemptions r
          JOIN reward_items i ON i.id = r.item_id
          JOIN members m ON m.id = r.member_id
          JOIN org_units target ON target.id = m.grid_id
          LEFT JOIN member_point_totals t ON t.member_id = r.member_id
        """;

    private const string ById = Columns + " WHERE r.id = @id";

    private const string Page = Columns + " WHERE (m.user_id = @callerId OR " + Scope.Sees + ") AND (@status IS NULL OR r.status = @status) ORDER BY r.id DESC LIMIT @limit OFFSET @offset";

    private const string LockRedemption = """
        SELECT r.id, r.item_id, r.member_id, r.points, r.status, r.entry_id, m.user_id = @callerId AS own, (
        """ + Scope.Administers + """
        ) AS administers
          FROM redemptions r JOIN members m ON m.id = r.member_id JOIN org_units target ON target.id = m.grid_id
         WHERE r.id = @id AND (m.user_id = @callerId OR
        """ + " " + Scope.Sees + ") FOR UPDATE";

    private const string LockItemOf = "SELECT id FROM reward_items WHERE id = @itemId FOR UPDATE";

    private const string Fulfil = "UPDATE redemptions SET status = 'Fulfilled', decided_by = @callerId, decided_at = @now WHERE id = @id";

    private const string Restock = """
        UPDATE reward_items SET stock = stock + 1 WHERE id = @itemId;
        UPDATE redemptions SET status = 'Cancelled', refund_entry_id = @refundId, decided_by = @callerId, decided_at = @now WHERE id = @id;
        """;

    private sealed class ItemLock
    {
        public long Id { get; init; }
        public int Points { get; init; }
        public int Stock { get; init; }
        public int? PerMemberLimit { get; init; }
        public string LimitPeriod { get; init; } = "";
        public DateTime? AvailableFrom { get; init; }
        public DateTime? AvailableUntil { get; init; }
        public long? MemberId { get; init; }
    }

    private sealed class RedemptionLock
    {
        public long Id { get; init; }
        public long ItemId { get; init; }
        public long MemberId { get; init; }
        public int Points { get; init; }
        public string Status { get; init; } = "";
        public long EntryId { get; init; }
        public bool Own { get; init; }
        public bool Administers { get; init; }
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public long ItemId { get; init; }
        public string ItemName { get; init; } = "";
        public long MemberId { get; init; }
        public string? RealName { get; init; }
        public int Points { get; init; }
        public string Status { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? DecidedAt { get; init; }
        public long Balance { get; init; }

        public RedemptionView ToView() => new(Id, ItemId, ItemName, MemberId, MemberNames.Masked(RealName), Points, Enum.Parse<RedemptionStatus>(Status),
            CreatedAt, DecidedAt, (int)Balance);
    }

    /// <summary>The first moment (UTC) of the China month, quarter or year holding <paramref name="today"/>.</summary>
    public static DateTime PeriodStart(LimitPeriod period, DateOnly today)
    {
        var first = period switch
        {
            LimitPeriod.Month => new DateOnly(today.Year, today.Month, 1),
            LimitPeriod.Quarter => new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1),
            _ => new DateOnly(today.Year, 1, 1),
        };
        return first.ToDateTime(TimeOnly.MinValue) - ChinaTime.Offset;
    }

    public static async Task<Results<Created<RedemptionView>, ProblemHttpResult>> RedeemReward(
        long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        var today = time.Today();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var item = await connection.QuerySingleOrDefaultAsync<ItemLock>(new CommandDefinition(LockItem, new { id, callerId }, transaction, cancellationToken: ct));
        if (item is null)
        {
            return Problems.NotFound("rewards.item.notFound");
        }
        if (item.MemberId is not { } memberId)
        {
            return Problems.Forbidden("rewards.redeem.notMember");
        }
        if ((item.AvailableFrom is { } from && DateOnly.FromDateTime(from) > today) || (item.AvailableUntil is { } until && DateOnly.FromDateTime(until) < today))
        {
            return Problems.Conflict("rewards.item.unavailable");
        }
        if (item.Stock <= 0)
        {
            return Problems.Conflict("rewards.item.outOfStock");
        }
        var period = Enum.Parse<LimitPeriod>(item.LimitPeriod);
        if (item.PerMemberLimit is { } limit && await connection.ExecuteScalarAsync<long>(new CommandDefinition(RedeemedInPeriod,
                new { id, memberId, since = PeriodStart(period, today) }, transaction, cancellationToken: ct)) >= limit)
        {
            return Problems.Conflict("rewards.redeem.limit", limit, period);
        }
        await PointsLedger.LockMemberAsync(connection, transaction, memberId, now, ct);
        var balance = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Balance, new { memberId }, transaction, cancellationToken: ct));
        if (balance < item.Points)
        {
            return Problems.Conflict("rewards.redeem.balance", item.Points, balance);
        }
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var entryId = await PointsLedger.InsertAsync(connection, transaction, new PointsLedger.NewEntry(memberId, EntryKind.Redemption, -item.Points,
            null, null, null, null, null, null, null, Quarter.OfUtc(now).ToString(), null, callerId), now, ct);
        var redemptionId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Take, new { id, memberId, item.Points, entryId, now },
            transaction, cancellationToken: ct));
        var view = await connection.QuerySingleAsync<Row>(new CommandDefinition(ById, new { id = redemptionId }, transaction, cancellationToken: ct));
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/redemptions/{redemptionId}", view.ToView(), ct);
    }

    public static async Task<Results<Ok<IReadOnlyList<RedemptionView>>, ValidationProblem>> ListRedemptions(
        HttpContext http, MySqlDataSource db, CancellationToken ct, RedemptionStatus? status = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Page, new
        {
            callerId = http.User.UserId(), status = status?.ToString(), limit = pageSize, offset = (page - 1) * pageSize,
        }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<RedemptionView>>(rows.Select(r => r.ToView()).ToList());
    }

    public static Task<Results<Ok<RedemptionView>, ProblemHttpResult>> FulfilRedemption(long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, fulfil: true, http, db, time, ct);

    public static Task<Results<Ok<RedemptionView>, ProblemHttpResult>> CancelRedemption(long id, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, fulfil: false, http, db, time, ct);

    private static async Task<Results<Ok<RedemptionView>, ProblemHttpResult>> DecideAsync(
        long id, bool fulfil, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var redemption = await connection.QuerySingleOrDefaultAsync<RedemptionLock>(new CommandDefinition(LockRedemption, new { id, callerId }, transaction, cancellationToken: ct));
        // The member may cancel their own; handing over, and cancelling someone else's, is for an admin over their grid.
        if (redemption is null || (!redemption.Administers && (fulfil || !redemption.Own)))
        {
            return Problems.NotFound("rewards.redemption.notFound");
        }
        if (redemption.Status != nameof(RedemptionStatus.Pending))
        {
            return Problems.Conflict("rewards.redemption.decided", Enum.Parse<RedemptionStatus>(redemption.Status));
        }
        if (fulfil)
        {
            await connection.ExecuteAsync(new CommandDefinition(Fulfil, new { id, callerId, now }, transaction, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(LockItemOf, new { redemption.ItemId }, transaction, cancellationToken: ct));
            await PointsLedger.LockMemberAsync(connection, transaction, redemption.MemberId, now, ct);
            var refundId = await PointsLedger.InsertAsync(connection, transaction, new PointsLedger.NewEntry(redemption.MemberId, EntryKind.Refund,
                redemption.Points, null, null, null, null, null, null, redemption.EntryId, Quarter.OfUtc(now).ToString(), null, callerId), now, ct);
            await connection.ExecuteAsync(new CommandDefinition(Restock, new { id, redemption.ItemId, refundId, callerId, now }, transaction, cancellationToken: ct));
        }
        var view = await connection.QuerySingleAsync<Row>(new CommandDefinition(ById, new { id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(view.ToView());
    }
}
