namespace Association.Api.Platform.Auth;

/// <summary>Why a session was ended before it expired.</summary>
public enum SessionEndReason
{
    SignedOut,
    RoleChanged,
    Erased,
}
