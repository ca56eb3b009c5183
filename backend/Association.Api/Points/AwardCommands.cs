using Association.Api.Platform.Http;

namespace Association.Api.Points;

/// <summary>
/// An award asked for through the API, checked against <paramref name="CallerId"/>'s scope when it is made; with the
/// request's Idempotency-Key, claimed and answered in the award's transaction.
/// </summary>
public sealed record AwardCommand(long CallerId, long MemberId, WorkKind WorkKind, AwardSourceKind SourceKind, long SourceId, int Units, DateTimeOffset OccurredAt,
    IdempotencyClaim? Claim = null);

/// <summary>What became of an award, on every path that makes one.</summary>
public enum AwardDecision
{
    Awarded,
    AlreadyAwarded,
    MemberNotFound,
    OwnAccount,
    MemberNotActive,
    UnknownRule,

    /// <summary>The source is not the member's verified work in the caller's scope, or not this work (kind, day, units).</summary>
    SourceNotFound,

    /// <summary>An Offline award by someone who is not an admin of the member.</summary>
    NotAnAdmin,

    /// <summary>The request's Idempotency-Key belongs to a request already made: nothing was decided, its answer stands.</summary>
    KeyTaken,
}

/// <summary>
/// An award's decision, with the entry it made or found for its source: <see cref="EntryId"/> from the ledger, the whole
/// <see cref="Entry"/> where the API answers with it.
/// </summary>
public sealed record AwardResult(AwardDecision Decision, long? EntryId = null, PointEntry? Entry = null, string? MemberStatus = null)
{
    public static AwardResult Refused(WriteRefusal refusal, string memberStatus) => refusal switch
    {
        WriteRefusal.OwnAccount => new AwardResult(AwardDecision.OwnAccount),
        WriteRefusal.MemberNotActive => new AwardResult(AwardDecision.MemberNotActive, MemberStatus: memberStatus),
        WriteRefusal.NotAnAdmin => new AwardResult(AwardDecision.NotAnAdmin),
        // An award of recorded work needs no admin: whoever sees the member may award them.
        _ => new AwardResult(AwardDecision.MemberNotFound),
    };
}
