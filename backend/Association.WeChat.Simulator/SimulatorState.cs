using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Association.WeChat.Simulator;

/// <summary>Everything the simulator remembers: codes used, tokens issued, faults queued, calls counted.</summary>
public sealed class SimulatorState(string appId, string appSecret)
{
    public const string DefaultAppId = "wxsimulator000001";
    public const string DefaultAppSecret = "simulator-secret-not-for-production";

    private readonly object _gate = new();
    private readonly HashSet<string> _usedCodes = [];
    private readonly HashSet<string> _validTokens = [];
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new();
    private readonly ConcurrentQueue<string> _secrets = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private string? _currentToken;

    public string AppId { get; } = appId;

    public string AppSecret { get; } = appSecret;

    public string? LastContentCheckBody { get; set; }

    public string? WatermarkAppIdOverride { get; set; }

    public int WatermarkAgeSeconds { get; set; }

    public IReadOnlyDictionary<string, int> Calls => _calls;

    /// <summary>Every session key and access token handed out, so tests can prove none leaked.</summary>
    public IReadOnlyCollection<string> Secrets => _secrets;

    public IReadOnlyCollection<string> Messages => _messages;

    public int Count(string operation) => _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public void AddFault(Fault fault) => _faults.GetOrAdd(fault.Operation, _ => new()).Enqueue(fault);

    public Fault? TakeFault(string operation)
    {
        if (!_faults.TryGetValue(operation, out var queue) || !queue.TryPeek(out var fault))
        {
            return null;
        }
        if (fault.Times <= 1)
        {
            queue.TryDequeue(out _);
        }
        else
        {
            fault.Times--;
        }
        return fault;
    }

    /// <summary>A code is usable once. Its part before '#' names the user, so "alice#1" and "alice#2" are one openid.</summary>
    public bool UseCode(string code)
    {
        lock (_gate)
        {
            return _usedCodes.Add(code);
        }
    }

    public string OpenIdFor(string code)
    {
        var user = code.Split('#')[0];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(AppId + ":" + user));
        return "o" + Convert.ToBase64String(hash)[..27].Replace('+', '-').Replace('/', '_');
    }

    public string NewSessionKey()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        _secrets.Enqueue(key);
        return key;
    }

    /// <summary>Like stable_token: the current token while it is valid, a new one when forced or none is valid.</summary>
    public string IssueToken(bool force)
    {
        lock (_gate)
        {
            if (!force && _currentToken is not null && _validTokens.Contains(_currentToken))
            {
                return _currentToken;
            }
            _currentToken = "SIMTOKEN_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            _validTokens.Clear();
            _validTokens.Add(_currentToken);
            _secrets.Enqueue(_currentToken);
            return _currentToken;
        }
    }

    public bool IsTokenValid(string? token)
    {
        lock (_gate)
        {
            return token is not null && _validTokens.Contains(token);
        }
    }

    public void ExpireTokens()
    {
        lock (_gate)
        {
            _validTokens.Clear();
        }
    }

    public void RecordMessage(string json) => _messages.Enqueue(json);

    public void Reset()
    {
        lock (_gate)
        {
            _usedCodes.Clear();
            _validTokens.Clear();
            _currentToken = null;
        }
        _calls.Clear();
        _faults.Clear();
        _messages.Clear();
        WatermarkAppIdOverride = null;
        WatermarkAgeSeconds = 0;
        LastContentCheckBody = null;
    }
}

/// <summary>Make the next <see cref="Times"/> calls of an operation answer <see cref="ErrCode"/>, after <see cref="DelayMs"/>.</summary>
public sealed class Fault
{
    public string Operation { get; set; } = "";

    public int ErrCode { get; set; }

    public int Times { get; set; } = 1;

    public int DelayMs { get; set; }
}
