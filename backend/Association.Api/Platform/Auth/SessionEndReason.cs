namespace Association.Api.Platform.Auth;

/// <summary>Why a session was ended before it expired.</summary>
public enum SessionEndReason
{
    SignedOut,
    RoleChanged,
    Erased,

    /// <summary>A refresh token that had been rotated away was presented again: someone holds a copy.</summary>
    RefreshReused,
}
