using Association.Api.Organisation;
using Association.Api.Platform.Errors;
using Association.Api.Roles;

namespace Association.Api.Auth;

/// <param name="Code">The code from <c>wx.login</c> in the mini-program.</param>
public sealed record SignInRequest(string Code) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Text(Code, "code", 1, 128, "auth.signIn.codeInvalid");
}

public sealed record RenewRequest(string RefreshToken) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Text(RefreshToken, "refreshToken", 1, 128, "auth.refreshToken.invalid");
}

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
