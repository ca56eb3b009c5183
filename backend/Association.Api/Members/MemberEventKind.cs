using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Members;

/// <summary>What happened to a member, as their history (member_events) records it.</summary>
[JsonConverter(typeof(EnumNames<MemberEventKind>))]
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
