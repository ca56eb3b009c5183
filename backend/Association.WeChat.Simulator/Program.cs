namespace Association.WeChat.Simulator;

/// <summary>A stand-in for api.weixin.qq.com, for development (scripts/run.sh) and tests. See README.md.</summary>
public static class Program
{
    public static void Main(string[] args) => SimulatorHost.Build(args).Run();
}
