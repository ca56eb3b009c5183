using System.Net;
using System.Net.Http.Json;
using Association.Api.Auth;
using Association.Tests.Infrastructure;

namespace Association.Tests.Auth;

public sealed class SignInPerAddressLimitTests(SignInPerAddressLimitTests.App app) : IClassFixture<SignInPerAddressLimitTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginsPerAddressPerMinute"] = "3",
        };
    }

    [Fact]
    public async Task SignIn_WhenOneAddressTriesTooOften_Returns429WithRetryAfter()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest($"user{i}#{Guid.NewGuid():N}"))).EnsureSuccessStatusCode();
        }

        var response = await client.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest($"user9#{Guid.NewGuid():N}"));

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, app.WeChat.Calls("code2session"));
    }
}

public sealed class SignInPerUserLimitTests(SignInPerUserLimitTests.App app) : IClassFixture<SignInPerUserLimitTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginsPerOpenIdPerMinute"] = "2",
        };
    }

    [Fact]
    public async Task SignIn_WhenOneWeChatUserSignsInTooOften_Returns429ButOthersStillSignIn()
    {
        await AssertSecondSignInIsTheLastAsync(app.CreateClient());
    }

    /// <summary>With a limit of 2 a minute: the third sign-in of one WeChat user is a 429, another user still signs in.</summary>
    internal static async Task AssertSecondSignInIsTheLastAsync(HttpClient client)
    {
        (await client.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest("eager#1"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest("eager#2"))).EnsureSuccessStatusCode();

        var third = await client.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest("eager#3"));
        var someoneElse = await client.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest("calm#1"));

        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }
}

/// <summary>With Redis down, each instance counts a user's sign-ins itself: the limit holds, per instance.</summary>
public sealed class SignInPerUserLimitWithoutRedisTests(SignInPerUserLimitWithoutRedisTests.App app) : IClassFixture<SignInPerUserLimitWithoutRedisTests.App>
{
    public sealed class App : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Auth:LoginsPerOpenIdPerMinute"] = "2",
            ["Redis:Configuration"] = Platform.Unreachable.Redis,
        };
    }

    [Fact]
    public async Task SignIn_WhenRedisIsDownAndOneUserSignsInTooOften_Returns429ButOthersStillSignIn()
    {
        await SignInPerUserLimitTests.AssertSecondSignInIsTheLastAsync(app.CreateClient());
    }
}
