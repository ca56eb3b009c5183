using Microsoft.Extensions.Caching.Memory;

namespace Association.Api.Platform.Redis;

/// <summary>
/// Values read from MariaDB kept in memory for a short <see cref="Lifetime"/>, voided at once on every instance when
/// what they show changes: whoever commits the change calls <see cref="ForgetAsync"/>, which marks the ids here and
/// tells the other instances over Redis pub/sub (<see cref="InvalidationChannel"/>). Each value carries the id that
/// voids it and when its read began, so a read that raced the commit it missed can never be stored or served. If Redis
/// is down, other instances stop serving a voided value within <see cref="Lifetime"/>. Id 0 (<see cref="Everything"/>)
/// voids every value.
/// </summary>
public sealed class InvalidatedCache<TKey, TValue> : IDisposable where TKey : notnull
{
    public const long Everything = 0;

    private readonly InvalidationChannel _channel;
    private readonly string _channelName;
    private readonly MemoryCache _values;
    private readonly ForgetMarks _marks;

    public InvalidatedCache(InvalidationChannel channel, string channelName, TimeSpan lifetime, int sizeLimit)
    {
        _channel = channel;
        _channelName = channelName;
        Lifetime = lifetime;
        _values = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit });
        _marks = new ForgetMarks(lifetime);
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Raised on this instance whenever an id is forgotten here, whichever instance forgot it.</summary>
    public event Action<long>? Forgotten;

    private sealed record Entry(TValue Value, long Id, long ReadAt);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_values.TryGetValue(key, out Entry? entry) && entry is not null && !IsStale(entry.Id, entry.ReadAt))
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Keeps a value that <paramref name="id"/> voids; <paramref name="readAt"/> is <see cref="ForgetMarks.Now"/> taken before the read.</summary>
    public void Store(TKey key, TValue value, long id, long readAt)
    {
        if (!IsStale(id, readAt))
        {
            _values.Set(key, new Entry(value, id, readAt), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    /// <summary>After a commit that changed what these ids' values show.</summary>
    public Task ForgetAsync(IReadOnlyCollection<long> ids)
    {
        foreach (var id in ids)
        {
            ForgetHere(id);
        }
        return _channel.PublishAsync(_channelName, ids);
    }

    public Task ForgetAsync(long id) => ForgetAsync([id]);

    /// <summary>Voids the ids here only: for a change another cache was told of.</summary>
    public void ForgetHere(long id)
    {
        _marks.Mark(id);
        Forgotten?.Invoke(id);
    }

    /// <summary>Listens for what the other instances forget; call once at start.</summary>
    public Task SubscribeAsync() => _channel.SubscribeAsync(_channelName, ForgetHere);

    private bool IsStale(long id, long readAt) => _marks.IsStale(id, readAt) || _marks.IsStale(Everything, readAt);

    public void Dispose() => _values.Dispose();
}
