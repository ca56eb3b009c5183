using Association.Api.Members;
using Association.Api.Platform.Redis;
using Microsoft.Extensions.Caching.Memory;

namespace Association.Api.Rankings;

/// <summary>
/// The live top-N answers as the JSON bytes already sent, kept for a moment: members open the same few boards
/// over and over, and a board changes far less often than it is read. Whoever changes a board (the publisher,
/// a rebuild) or a name on it (erasure) voids the answers read before that moment, here and, over Redis pub/sub,
/// on every other instance; if a message is lost, an answer is at most <see cref="Lifetime"/> old.
/// </summary>
public sealed class LeaderboardAnswers(InvalidationChannel invalidation, RedisKeys keys, MemberNames names) : IHostedService, IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    // Scope ids are org unit ids, never 0: the mark for "every board".
    private const long EveryBoard = 0;

    private readonly MemoryCache _answers = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly ForgetMarks _changed = new(Lifetime);

    public readonly record struct Board(string Quarter, RankingScope Scope, long ScopeId, int Top);

    private sealed record Answer(byte[] Json, long ScopeId, long ReadAt);

    public bool TryGet(Board board, out byte[] json)
    {
        if (_answers.TryGetValue(board, out Answer? answer) && answer is not null && !IsStale(answer.ScopeId, answer.ReadAt))
        {
            json = answer.Json;
            return true;
        }
        json = [];
        return false;
    }

    /// <summary>Call with <see cref="ForgetMarks.Now"/> taken before the board was read.</summary>
    public void Store(Board board, byte[] json, long readAt)
    {
        if (!IsStale(board.ScopeId, readAt))
        {
            _answers.Set(board, new Answer(json, board.ScopeId, readAt), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    /// <summary>After the boards of these scopes changed in Redis.</summary>
    public Task ChangedAsync(IEnumerable<long> scopeIds)
    {
        var changed = scopeIds.ToList();
        foreach (var scopeId in changed)
        {
            _changed.Mark(scopeId);
        }
        return invalidation.PublishAsync(keys.LeaderboardsChanged, changed);
    }

    /// <summary>After every board may have changed (a rebuild).</summary>
    public Task AllChangedAsync() => ChangedAsync([EveryBoard]);

    private bool IsStale(long scopeId, long readAt) => _changed.IsStale(scopeId, readAt) || _changed.IsStale(EveryBoard, readAt);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A masked name changed (erasure), here or on another instance: any board may show it.
        names.Forgotten += _ => _changed.Mark(EveryBoard);
        return invalidation.SubscribeAsync(keys.LeaderboardsChanged, _changed.Mark);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _answers.Dispose();
}
