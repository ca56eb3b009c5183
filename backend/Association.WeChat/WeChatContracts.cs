using System.Text.Json;

namespace Association.WeChat;

/// <summary>What <c>code2Session</c> returns. The session key is a secret: keep it server-side, never log it.</summary>
public sealed record WeChatSession(string OpenId, string SessionKey, string? UnionId)
{
    public override string ToString() => $"WeChatSession {{ OpenId = (hidden), SessionKey = (hidden), UnionId = (hidden) }}";
}

public sealed record WeChatPhoneNumber(string PhoneNumber, string PurePhoneNumber, string CountryCode)
{
    public override string ToString() => "WeChatPhoneNumber { (hidden) }";
}

/// <summary>msg_sec_check v2 verdicts.</summary>
public enum ContentVerdict
{
    Pass,
    Review,
    Risky,
}

/// <summary>Where the text appears, in WeChat's scene numbers.</summary>
public enum ContentScene
{
    Profile = 1,
    Comment = 2,
    Forum = 3,
    SocialLog = 4,
}

public sealed record ContentCheck(ContentVerdict Verdict, int Label, string? TraceId);

/// <summary>Which build of the mini-program a subscribe message opens.</summary>
public enum MiniProgramState
{
    Formal,
    Trial,
    Developer,
}

public sealed record SubscribeMessage(
    string ToOpenId,
    string TemplateId,
    IReadOnlyDictionary<string, string> Data,
    string? Page = null,
    MiniProgramState State = MiniProgramState.Formal);

public sealed record DecryptedUserData(JsonElement Data);
