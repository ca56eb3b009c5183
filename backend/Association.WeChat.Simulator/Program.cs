using Association.WeChat.Simulator;

// A stand-in for api.weixin.qq.com, for development (scripts/run.sh) and tests. See README.md.
var app = SimulatorHost.Build(args);
app.Run();
