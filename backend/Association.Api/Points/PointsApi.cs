using Association.Api.Members;
using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>Writing to the ledger: awards for confirmed work, manual adjustments, reversals. Nobody writes to their own account.</summary>
public static class PointsApi
{
    public const int MaxAdjustment = 1000;
    public const int MaxUnits = 1000;

    public static RouteGroupBuilder MapPointsApi(this RouteGroupBuilder api)
    {

        api.MapPost("/awards", AwardPoints)
            .WithSummary("Award the points a confirmed piece of work earns, once per source (leaders and admins of the member's grid)")
            .Idempotent(ReplayEntryAsync)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/adjustments", AdjustPoints)
            .WithSummary("Add or deduct points by hand, with a reason (village and sub-district admins)")
            .Idempotent()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/entries/{id}/reverse", ReverseEntry)
            .WithSummary("Reverse an award or adjustment with a new, opposite entry (village and sub-district admins)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private const string EntryToReverse = """
        SELECT id, member_id, entry_kind, points, quarter FROM point_entries WHERE id = @id
        """;

    private const string AlreadyReversed = "SELECT COUNT(*) FROM point_entries WHERE reverses_entry_id = @id";

    private sealed record EntryRow(long Id, long MemberId, string EntryKind, int Points, string Quarter);

    public static async Task<Results<Created<PointEntry>, Ok<PointEntry>, ValidationProblem, ProblemHttpResult>> AwardPoints(
        AwardRequest request, HttpContext http, AwardQueue awards, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var sourceKind = request.SourceKind!.Value;
        var offline = sourceKind == AwardSourceKind.Offline;
        var command = new AwardCommand(http.User.UserId(), request.MemberId, request.WorkKind, sourceKind, request.SourceId ?? 0, request.Units, request.OccurredAt,
            IdempotentWrite.ClaimOf(http));
        // Written with the awards that arrive meanwhile; a request that goes away still has its award made. Offline awards
        // have no source to be unique on, and are rare: each in its own transaction.
        var result = offline
            ? await AwardOfflineAsync(http, db, command, request.Note!.Trim(), time.DbUtcNow(), ct)
            : await awards.AwardAsync(command).WaitAsync(ct);
        return result.Decision switch
        {
            AwardDecision.Awarded => TypedResults.Created($"/api/points/members/{request.MemberId}", result.Entry),
            AwardDecision.AlreadyAwarded => TypedResults.Ok(result.Entry),
            AwardDecision.UnknownRule => Problems.Invalid("workKind", "points.award.noRule", request.WorkKind),
            AwardDecision.OwnAccount => Problems.Forbidden("points.ownAccount"),
            AwardDecision.MemberNotActive => NotActive(result.MemberStatus!),
            AwardDecision.NotAnAdmin => Problems.Forbidden("points.award.offlineNotAdmin"),
            AwardDecision.KeyTaken => throw new IdempotencyKeyTakenException(),
            // The same answer whether the record is missing, another member's or another grid's, or not verified.
            AwardDecision.SourceNotFound => Problems.NotFound("points.award.sourceNotFound", sourceKind),
            _ => Problems.NotFound("membership.member.notFound"),
        };
    }

    /// <summary>An award's stored answer is its entry's id; the entry never changes, so its JSON is the first answer's.</summary>
    private static async Task<byte[]> ReplayEntryAsync(HttpContext http, long entryId, CancellationToken ct)
    {
        await using var connection = await http.RequestServices.GetRequiredService<MySqlDataSource>().OpenConnectionAsync(ct);
        return IdempotentWrite.Body(http.RequestServices, await PointEntries.ReadAsync(connection, entryId, ct));
    }

    private static async Task<AwardResult> AwardOfflineAsync(HttpContext http, MySqlDataSource db, AwardCommand award, string note, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var member = await PointsAccess.ReadMemberAsync(connection, transaction, award.MemberId, award.CallerId, ct);
        // An award without a record rests on the admin's word, so it takes an admin, as a correction does.
        if ((member.Refusal(LedgerWrite.Correction, award.CallerId) ?? member.Refusal(LedgerWrite.Award, award.CallerId)) is { } refused)
        {
            return AwardResult.Refused(refused, member?.Status ?? "");
        }
        var result = await PointsLedger.AwardAsync(connection, transaction, award.MemberId, award.WorkKind, AwardSourceKind.Offline, null,
            award.Units, award.OccurredAt, award.CallerId, now, ct, note);
        if (result.EntryId is not { } entryId)
        {
            return result;
        }
        var entry = await PointEntries.ReadAsync(connection, transaction, entryId, ct);
        await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/points/members/{award.MemberId}", entry, ct);
        return result with { Entry = entry };
    }

    public static async Task<Results<Created<PointEntry>, ValidationProblem, ProblemHttpResult>> AdjustPoints(
        AdjustmentRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        if (await CheckMemberAsync(connection, transaction, request.MemberId, callerId, ct) is { } refused)
        {
            return refused;
        }
        await PointsLedger.LockMemberAsync(connection, transaction, request.MemberId, now, ct);
        var id = await PointsLedger.InsertAsync(connection, transaction, new PointsLedger.NewEntry(request.MemberId, EntryKind.Adjustment,
            request.Points, null, null, null, null, null, null, null, Quarter.Current(time).ToString(), request.Reason!.Trim(), callerId), now, ct);
        return await IdempotentWrite.CommitCreatedAsync(http, connection, transaction, $"/api/points/members/{request.MemberId}",
            await PointEntries.ReadAsync(connection, transaction, id, ct), ct);
    }

    public static async Task<Results<Created<PointEntry>, ValidationProblem, ProblemHttpResult>> ReverseEntry(
        long id, ReversalRequest request, HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation, ct);
        var entry = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition(EntryToReverse, new { id }, transaction, cancellationToken: ct));
        if (entry is null)
        {
            return Problems.NotFound("points.entry.notFound");
        }
        if (await CheckMemberAsync(connection, transaction, entry.MemberId, callerId, ct) is { } refused)
        {
            return refused.StatusCode == StatusCodes.Status404NotFound ? Problems.NotFound("points.entry.notFound") : refused;
        }
        if (PointsLedger.IsSpending(Enum.Parse<EntryKind>(entry.EntryKind)))
        {
            // Spending is undone by cancelling the redemption, which also puts the item back in stock.
            return Problems.Conflict("points.entry.spending");
        }
        await PointsLedger.LockMemberAsync(connection, transaction, entry.MemberId, now, ct);
        if (entry.EntryKind == nameof(EntryKind.Reversal)
            || await connection.ExecuteScalarAsync<long>(new CommandDefinition(AlreadyReversed, new { id }, transaction, cancellationToken: ct)) > 0)
        {
            return Problems.Conflict("points.entry.alreadyReversed");
        }
        var reversalId = await PointsLedger.InsertAsync(connection, transaction, new PointsLedger.NewEntry(entry.MemberId, EntryKind.Reversal,
            -entry.Points, null, null, null, null, null, null, entry.Id, entry.Quarter, request.Reason!.Trim(), callerId), now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/points/members/{entry.MemberId}", await PointEntries.ReadAsync(connection, reversalId, ct));
    }

    private static async Task<ProblemHttpResult?> CheckMemberAsync(MySqlConnection connection, MySqlTransaction transaction,
        long memberId, long callerId, CancellationToken ct)
    {
        var member = await PointsAccess.ReadMemberAsync(connection, transaction, memberId, callerId, ct);
        return member.Refusal(LedgerWrite.Correction, callerId) switch
        {
            null => null,
            WriteRefusal.NotAnAdmin => Problems.Forbidden("points.correction.notAdmin"),
            WriteRefusal.OwnAccount => Problems.Forbidden("points.ownAccount"),
            _ => Problems.NotFound("membership.member.notFound"),
        };
    }

    private static ProblemHttpResult NotActive(string status) => Problems.Conflict("points.member.notActive", Enum.Parse<MemberStatus>(status));
}
