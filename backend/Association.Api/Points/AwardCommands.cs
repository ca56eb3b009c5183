namespace Association.Api.Points;

/// <summary>An award asked for through the API, checked against <paramref name="CallerId"/>'s scope when it is made.</summary>
public sealed record AwardCommand(long CallerId, long MemberId, WorkKind WorkKind, string SourceKind, long SourceId, int Units, DateTimeOffset OccurredAt);

public enum AwardDecision
{
    Awarded,
    AlreadyAwarded,
    MemberNotFound,
    OwnAccount,
    MemberNotActive,
    UnknownRule,
}

/// <summary>What became of an award: the entry when one was made or already existed for the source.</summary>
public sealed record AwardResult(AwardDecision Decision, PointEntry? Entry = null, string? MemberStatus = null)
{
    /// <summary>Whether the caller may award points to this member, checked in this order; null when the award may go ahead.</summary>
    public static AwardResult? Refusal(bool sees, long? memberUserId, string memberStatus, long callerId) =>
        !sees ? new AwardResult(AwardDecision.MemberNotFound)
        : memberUserId == callerId ? new AwardResult(AwardDecision.OwnAccount)
        : memberStatus != "Active" ? new AwardResult(AwardDecision.MemberNotActive, MemberStatus: memberStatus)
        : null;
}
