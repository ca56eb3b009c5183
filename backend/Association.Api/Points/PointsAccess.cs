using Association.Api.Members;
using Association.Api.Platform.Auth;
using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>What a write to the ledger is: an award for work, or a correction (an adjustment or a reversal).</summary>
public enum LedgerWrite
{
    Award,
    Correction,
}

/// <summary>Why a caller may not write to a member's account.</summary>
public enum WriteRefusal
{
    /// <summary>No such member in the caller's scope: answered as not found, whatever the reason.</summary>
    MemberNotFound,
    NotAnAdmin,
    OwnAccount,
    MemberNotActive,
}

/// <summary>The one rule for who may write points to whose account, and the read it decides on.</summary>
public static class PointsAccess
{
    private const string MemberAccess = """
        SELECT m.id, m.user_id, m.status, (
        """ + Scope.Sees + """
        ) AS sees, (
        """ + Scope.Administers + """
        ) AS administers
          FROM members m
          JOIN org_units target ON target.id = m.grid_id
         WHERE m.id = @memberId
        """;

    internal sealed class MemberRow
    {
        public long Id { get; init; }
        public long? UserId { get; init; }
        public string Status { get; init; } = "";
        public bool Sees { get; init; }
        public bool Administers { get; init; }
    }

    internal static Task<MemberRow?> ReadMemberAsync(MySqlConnection connection, MySqlTransaction? transaction, long memberId, long callerId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(MemberAccess, new { memberId, callerId }, transaction, cancellationToken: ct));

    /// <summary>
    /// The member must be in the caller's scope (an admin's scope for corrections) and not the caller. Awards go to
    /// active members only; corrections may touch any account, even one whose owner has left. Null when allowed.
    /// </summary>
    public static WriteRefusal? Refusal(LedgerWrite write, bool sees, bool administers, long? memberUserId, string memberStatus, long callerId) =>
        !sees ? WriteRefusal.MemberNotFound
        : write == LedgerWrite.Correction && !administers ? WriteRefusal.NotAnAdmin
        : memberUserId == callerId ? WriteRefusal.OwnAccount
        : write == LedgerWrite.Award && memberStatus != nameof(MemberStatus.Active) ? WriteRefusal.MemberNotActive
        : null;

    internal static WriteRefusal? Refusal(this MemberRow? member, LedgerWrite write, long callerId) =>
        member is null ? WriteRefusal.MemberNotFound : Refusal(write, member.Sees, member.Administers, member.UserId, member.Status, callerId);
}
