using System.ComponentModel.DataAnnotations;
using Association.Api.Organisation;
using Association.Api.Roles;

namespace Association.Api.Auth;

/// <param name="Code">The code from <c>wx.login</c> in the mini-program.</param>
public sealed record SignInRequest([Required, StringLength(128, MinimumLength = 1)] string Code);

public sealed record RenewRequest([Required, StringLength(128, MinimumLength = 1)] string RefreshToken);

/// <summary>Our own tokens. Send the access token as "Authorization: Bearer ..."; renew with the refresh token before it expires.</summary>
public sealed record SessionResponse(
    long UserId,
    bool IsNewUser,
    string AccessToken,
    DateTime AccessTokenExpiresAt,
    string RefreshToken,
    DateTime RefreshTokenExpiresAt);

public sealed record RoleGrant(Role Role, long OrgUnitId, OrgUnitKind OrgUnitKind, string OrgUnitCode, string OrgUnitName);

/// <summary>Who I am: the user id, and each role with the unit it applies to (none for a plain resident).</summary>
public sealed record MeResponse(long UserId, DateTime SignedUpAt, IReadOnlyList<RoleGrant> Roles);
