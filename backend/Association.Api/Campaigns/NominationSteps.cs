using Association.Api.Platform;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Campaigns;

/// <summary>Who takes a step on an application, and the code a reader who may not take it is refused with.</summary>
internal sealed record StepActor(Func<NominationRows.NominationRow, bool> May, string RefusedCode);

/// <summary>
/// One step on an application, the same way each time: the application and its campaign locked, the caller's right,
/// the phase and the state checked, the change made and recorded, the application answered as it now stands.
/// </summary>
internal static class NominationSteps
{
    public static readonly StepActor Applicant = new(r => r.CanEdit, "campaigns.application.notApplicant");

    public static readonly StepActor Guide = new(r => r.CanGuide, "campaigns.guidance.notGuide");

    public static readonly StepActor Acceptor = new(r => r.CanAccept, "campaigns.acceptance.notSubDistrict");

    public static readonly StepActor Decider = new(r => r.CanDecide, "campaigns.decision.notDistrict");

    public sealed class Step(MySqlConnection connection, MySqlTransaction transaction, CampaignRows.CampaignRow campaign, long callerId, DateTime now,
        CancellationToken ct)
    {
        public MySqlConnection Connection => connection;
        public MySqlTransaction Transaction => transaction;
        public CampaignRows.CampaignRow Campaign => campaign;
        public long CallerId => callerId;
        public DateTime Now => now;

        public Task MoveAsync(NominationRows.NominationRow row, NominationStatus to, string? opinion) =>
            NominationRows.ChangeStatusAsync(connection, transaction, row.Id, row.TheStatus, to, opinion, callerId, now, ct);
    }

    /// <param name="phases">The phases the step may be taken in; null for any before the results are published.</param>
    public static async Task<Results<Ok<NominationView>, ValidationProblem, ProblemHttpResult>> RunAsync(long applicationId, HttpContext http,
        MySqlDataSource db, TimeProvider time, CancellationToken ct, StepActor actor, CampaignPhase[]? phases, NominationStatus[] from,
        Func<Step, NominationRows.NominationRow, Task<IResult?>> change)
    {
        var callerId = http.User.UserId();
        var now = time.DbUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Claimed first: a retry of a write that committed gets its answer back, whatever the write changed since.
        await IdempotentWrite.ClaimAsync(http, connection, transaction, ct);
        var row = await NominationRows.ReadAsync(connection, transaction, applicationId, callerId, ct, forUpdate: true);
        if (row is null)
        {
            return Problems.NotFound("campaigns.application.notFound");
        }
        if (!actor.May(row))
        {
            return Problems.Forbidden(actor.RefusedCode);
        }
        var campaign = (await CampaignRows.ReadAsync(connection, transaction, row.CampaignId, callerId, ct, forUpdate: true))!;
        var current = campaign.PhaseOn(time.Today());
        if (phases is { } wanted ? !wanted.Contains(current) : current == CampaignPhase.Published)
        {
            return Problems.Conflict("campaigns.phase.closed", current);
        }
        if (!from.Contains(row.TheStatus))
        {
            return Problems.Conflict("campaigns.application.status", row.TheStatus);
        }
        switch (await change(new Step(connection, transaction, campaign, callerId, now, ct), row))
        {
            case ProblemHttpResult problem:
                return problem;
            case ValidationProblem invalid:
                return invalid;
        }
        var updated = (await NominationRows.ReadAsync(connection, transaction, applicationId, callerId, ct))!;
        var view = await NominationRows.ViewAsync(connection, transaction, updated, now, ct);
        return await IdempotentWrite.CommitOkAsync(http, connection, transaction, view, ct);
    }
}
