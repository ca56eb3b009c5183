using System.Globalization;
using System.Security.Claims;

namespace Association.Api.Platform.Auth;

/// <summary>The signed-in user behind a request, as the session handler put it into claims.</summary>
public static class Caller
{
    public const string UserIdClaim = "uid";
    public const string SessionIdClaim = "sid";

    public static long UserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(UserIdClaim) ?? throw new InvalidOperationException("No signed-in user."), CultureInfo.InvariantCulture);

    public static long SessionId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(SessionIdClaim) ?? throw new InvalidOperationException("No signed-in session."), CultureInfo.InvariantCulture);
}
