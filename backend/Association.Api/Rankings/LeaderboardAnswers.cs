using Association.Api.Members;
using Association.Api.Platform.Redis;

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

    // Scope ids are org unit ids, never 0, the id that voids every board.
    private readonly InvalidatedCache<Board, byte[]> _answers = new(invalidation, keys.LeaderboardsChanged, Lifetime, sizeLimit: 10_000);

    public readonly record struct Board(string Quarter, RankingScope Scope, long ScopeId, int Top);

    public bool TryGet(Board board, out byte[] json) => _answers.TryGet(board, out json);

    /// <summary>Call with <see cref="ForgetMarks.Now"/> taken before the board was read.</summary>
    public void Store(Board board, byte[] json, long readAt) => _answers.Store(board, json, board.ScopeId, readAt);

    /// <summary>After the boards of these scopes changed in Redis.</summary>
    public Task ChangedAsync(IEnumerable<long> scopeIds) => _answers.ForgetAsync(scopeIds.ToList());

    /// <summary>After every board may have changed (a rebuild).</summary>
    public Task AllChangedAsync() => _answers.ForgetAsync(InvalidatedCache<Board, byte[]>.Everything);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A masked name changed (erasure), here or on another instance: any board may show it.
        names.Forgotten += _ => _answers.ForgetHere(InvalidatedCache<Board, byte[]>.Everything);
        return _answers.SubscribeAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _answers.Dispose();
}
