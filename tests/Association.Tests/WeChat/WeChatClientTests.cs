using Association.Tests.Infrastructure;
using Association.WeChat;
using StackExchange.Redis;

namespace Association.Tests.WeChat;

public sealed class WeChatClientTests : IAsyncLifetime
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..13] + ":";
    private readonly CapturedLogs _logs = new();
    private WeChatSimulatorServer _simulator = null!;
    private WeChatClientHarness _instance = null!;

    private WeChatClient Client => _instance.Client;

    public async Task InitializeAsync()
    {
        _simulator = await WeChatSimulatorServer.StartAsync();
        _instance = new WeChatClientHarness(_simulator, _prefix, _logs);
    }

    public async Task DisposeAsync()
    {
        await _instance.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Code2Session_WhenCodeIsValid_ReturnsOpenIdAndSessionKey()
    {
        var first = await Client.Code2SessionAsync("alice#1", default);
        var again = await Client.Code2SessionAsync("alice#2", default);

        Assert.StartsWith("o", first.OpenId);
        Assert.Equal(first.OpenId, again.OpenId);
        Assert.Equal(16, Convert.FromBase64String(first.SessionKey).Length);
        Assert.DoesNotContain(first.SessionKey, first.ToString());
    }

    [Fact]
    public async Task Code2Session_WhenCodeIsReused_ThrowsInvalidCodeWithoutRetrying()
    {
        await Client.Code2SessionAsync("bob#1", default);

        var error = await Assert.ThrowsAsync<WeChatInvalidCodeException>(() => Client.Code2SessionAsync("bob#1", default));

        Assert.Equal(40163, error.ErrorCode);
        Assert.False(string.IsNullOrEmpty(error.Rid));
        Assert.Equal(2, _simulator.Calls("code2session"));
    }

    [Fact]
    public async Task Code2Session_WhenCodeIsInvalid_ThrowsInvalidCodeWithoutRetrying()
    {
        var error = await Assert.ThrowsAsync<WeChatInvalidCodeException>(() => Client.Code2SessionAsync("invalid-code", default));

        Assert.Equal(40029, error.ErrorCode);
        Assert.Equal(1, _simulator.Calls("code2session"));
    }

    [Fact]
    public async Task Code2Session_WhenWeChatIsBusyOnce_RetriesAndSucceeds()
    {
        await _simulator.FaultAsync("code2session", -1);

        var session = await Client.Code2SessionAsync("carol#1", default);

        Assert.NotNull(session.OpenId);
        Assert.Equal(2, _simulator.Calls("code2session"));
    }

    [Fact]
    public async Task Code2Session_WhenWeChatStaysBusy_GivesUpAfterThreeAttempts()
    {
        await _simulator.FaultAsync("code2session", -1, times: 10);

        await Assert.ThrowsAsync<WeChatBusyException>(() => Client.Code2SessionAsync("dave#1", default));

        Assert.Equal(3, _simulator.Calls("code2session"));
    }

    [Theory]
    [InlineData(45011, typeof(WeChatRateLimitedException))]
    [InlineData(40226, typeof(WeChatUserBlockedException))]
    [InlineData(40029, typeof(WeChatInvalidCodeException))]
    [InlineData(40163, typeof(WeChatInvalidCodeException))]
    [InlineData(40125, typeof(WeChatApiException))]
    public async Task Code2Session_WhenWeChatAnswersError_MapsToDistinctErrorAndCallsOnce(int errCode, Type expected)
    {
        await _simulator.FaultAsync("code2session", errCode);

        var error = await Assert.ThrowsAnyAsync<WeChatApiException>(() => Client.Code2SessionAsync("erin#1", default));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(errCode, error.ErrorCode);
        Assert.Equal(1, _simulator.Calls("code2session"));
    }

    [Fact]
    public async Task Code2Session_WhenWeChatAnswersHttp500_ThrowsUnavailable()
    {
        await _simulator.FaultAsync("code2session", -500);

        await Assert.ThrowsAsync<WeChatUnavailableException>(() => Client.Code2SessionAsync("fay#1", default));
    }

    [Fact]
    public async Task AccessToken_WhenAnotherInstanceStarts_ReusesTheCachedTokenInsteadOfFetching()
    {
        var token = await _instance.AccessTokens.GetAsync(default);
        await using var second = new WeChatClientHarness(_simulator, _prefix, _logs);

        var secondToken = await second.AccessTokens.GetAsync(default);

        Assert.Equal(token, secondToken);
        Assert.Equal(1, _simulator.Calls("stable_token"));
    }

    [Fact]
    public async Task AccessToken_WhenExpiredUnderConcurrentCallsFromTwoInstances_RefreshesExactlyOnce()
    {
        await using var second = new WeChatClientHarness(_simulator, _prefix, _logs);
        await Client.CheckTextAsync("o-user", "你好", ContentScene.Comment, default);
        await second.Client.CheckTextAsync("o-user", "你好", ContentScene.Comment, default);
        Assert.Equal(1, _simulator.Calls("stable_token"));
        await _simulator.ExpireTokensAsync();

        var checks = Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? Client : second.Client).CheckTextAsync("o-user", "巡逻记录", ContentScene.Comment, default));
        var results = await Task.WhenAll(checks);

        Assert.All(results, r => Assert.Equal(ContentVerdict.Pass, r.Verdict));
        Assert.Equal(2, _simulator.Calls("stable_token"));
    }

    [Theory]
    [InlineData(40001)]
    [InlineData(40014)]
    [InlineData(42001)]
    public async Task GetPhoneNumber_WhenTokenIsRejectedOnce_RefreshesOnceAndSucceeds(int errCode)
    {
        await Client.GetPhoneNumberAsync("phone:13800001234", default);
        await _simulator.FaultAsync("getuserphonenumber", errCode);

        var phone = await Client.GetPhoneNumberAsync("phone:13800001234", default);

        Assert.Equal("13800001234", phone.PhoneNumber);
        Assert.Equal(2, _simulator.Calls("stable_token"));
        Assert.Equal(3, _simulator.Calls("getuserphonenumber"));
    }

    [Fact]
    public async Task AccessToken_WhenStillRejectedAfterRefresh_RetriesOnceThenThrows()
    {
        await Client.CheckTextAsync("o-user", "你好", ContentScene.Comment, default);
        var before = _simulator.Calls("msg_sec_check");
        await _simulator.FaultAsync("msg_sec_check", 40001, times: 5);

        await Assert.ThrowsAsync<WeChatAccessTokenException>(() => Client.CheckTextAsync("o-user", "你好", ContentScene.Comment, default));

        Assert.Equal(before + 2, _simulator.Calls("msg_sec_check"));
        Assert.Equal(2, _simulator.Calls("stable_token"));
    }

    [Fact]
    public async Task AccessToken_WhenCachedInRedis_IsStoredWithoutTheAppSecret()
    {
        await _instance.AccessTokens.GetAsync(default);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var server = redis.GetServers().Single();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: _prefix + "*"))
        {
            keys.Add(key);
        }
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.DoesNotContain(_simulator.AppSecret, key.ToString());
            Assert.DoesNotContain(_simulator.AppSecret, (await redis.GetDatabase().StringGetAsync(key)).ToString());
        }
    }

    [Fact]
    public async Task AccessToken_WhenRedisIsDown_FallsBackToInstanceToken()
    {
        await using var isolated = new WeChatClientHarness(_simulator, _prefix, _logs, redis: "127.0.0.1:9,connectTimeout=300");

        var check = await isolated.Client.CheckTextAsync("o-user", "你好", ContentScene.Comment, default);

        Assert.Equal(ContentVerdict.Pass, check.Verdict);
    }

    [Fact]
    public async Task GetPhoneNumber_WhenWatermarkIsOurs_ReturnsTheNumber()
    {
        var phone = await Client.GetPhoneNumberAsync("phone:13800001234", default);

        Assert.Equal("13800001234", phone.PurePhoneNumber);
        Assert.Equal("86", phone.CountryCode);
    }

    [Fact]
    public async Task GetPhoneNumber_WhenWatermarkNamesAnotherApp_IsRejected()
    {
        await _simulator.SetWatermarkAsync("wx0ther0app0000000", 0);

        await Assert.ThrowsAsync<WeChatDataRejectedException>(() => Client.GetPhoneNumberAsync("phone:13800001234", default));
    }

    [Fact]
    public async Task GetPhoneNumber_WhenWatermarkIsOld_IsRejected()
    {
        await _simulator.SetWatermarkAsync(null, 3600);

        await Assert.ThrowsAsync<WeChatDataRejectedException>(() => Client.GetPhoneNumberAsync("phone:13800001234", default));
    }

    [Theory]
    [InlineData("今晚八点巡逻集合", ContentVerdict.Pass)]
    [InlineData("这段话待审一下", ContentVerdict.Review)]
    [InlineData("这里有违禁内容", ContentVerdict.Risky)]
    public async Task CheckText_WhenWeChatJudges_ReturnsItsVerdict(string text, ContentVerdict expected)
    {
        var check = await Client.CheckTextAsync("o-user", text, ContentScene.Forum, default);

        Assert.Equal(expected, check.Verdict);
    }

    [Fact]
    public async Task CheckText_WhenTextIsChinese_SendsRawUtf8NotEscapes()
    {
        await Client.CheckTextAsync("o-user", "大托铺街道平安创建", ContentScene.Comment, default);

        Assert.Contains("大托铺街道平安创建", _simulator.State.LastContentCheckBody);
        Assert.DoesNotContain("\\u", _simulator.State.LastContentCheckBody);
    }

    [Fact]
    public async Task SendSubscribeMessage_WhenAccepted_ReachesWeChatWithShortenedThing()
    {
        await Client.SendSubscribeMessageAsync(new SubscribeMessage("o-user", "TPL-1",
            new Dictionary<string, string> { ["thing1"] = new string('审', 40), ["phrase2"] = "已通过" }), default);

        var sent = Assert.Single(_simulator.State.Messages);
        Assert.Contains("已通过", sent);
        Assert.Contains(new string('审', 19) + "…", sent);
    }

    [Fact]
    public async Task SendSubscribeMessage_WhenQuotaIsUsedUp_ThrowsQuotaError()
    {
        await _simulator.FaultAsync("subscribe_send", 43101);

        var error = await Assert.ThrowsAsync<WeChatSubscribeQuotaException>(() => Client.SendSubscribeMessageAsync(
            new SubscribeMessage("o-user", "TPL-1", new Dictionary<string, string> { ["thing1"] = "通知" }), default));

        Assert.Equal(43101, error.ErrorCode);
    }

    [Fact]
    public async Task Logs_WhenClientIsUsed_NeverContainSecretsSessionKeysOrTokens()
    {
        await Client.Code2SessionAsync("gina#1", default);
        await _simulator.FaultAsync("code2session", 40029);
        await Assert.ThrowsAsync<WeChatInvalidCodeException>(() => Client.Code2SessionAsync("gina#2", default));
        await Client.GetPhoneNumberAsync("phone:13800001234", default);
        await _simulator.ExpireTokensAsync();
        await Client.CheckTextAsync("o-user", "你好", ContentScene.Comment, default);

        var secrets = _simulator.State.Secrets.Append(_simulator.AppSecret).ToList();
        Assert.True(secrets.Count >= 4);
        Assert.NotEmpty(_logs.Lines);
        foreach (var line in _logs.Lines)
        {
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, line));
            Assert.DoesNotContain("13800001234", line);
        }
    }
}
