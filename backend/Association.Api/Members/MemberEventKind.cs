namespace Association.Api.Members;

/// <summary>What happened to a member, as their history (member_events) records it.</summary>
public enum MemberEventKind
{
    Joined,
    ArmbandIssued,
    Suspended,
    Reinstated,
    Left,
    Moved,
    Erased,
}
