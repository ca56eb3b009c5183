using Association.Api.Platform.Redis;
using Dapper;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>
/// Members' names as public boards show them (family name and a star, "匿名会员" once erased), cached in memory
/// because every leaderboard read needs twenty of them. Erasure clears a name on every instance at once
/// (<see cref="ForgetAsync"/>), and a read racing the erasure cannot put the old name back; without Redis, other
/// instances drop it within <see cref="Lifetime"/>.
/// </summary>
public sealed class MemberNames(MySqlDataSource db, InvalidationChannel invalidation, RedisKeys keys) : IHostedService, IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public const string Anonymous = "匿名会员";

    private const string Names = "SELECT id, real_name FROM members WHERE id IN @ids";

    private readonly InvalidatedCache<long, string> _names = new(invalidation, keys.MemberNamesChanged, Lifetime, sizeLimit: 200_000);

    private sealed record NameRow(long Id, string? RealName);

    /// <summary>Who did something, on a sheet for staff: their name when they are a member, their user number otherwise, the system when no one did.</summary>
    public static string Actor(long? userId, string? realName) =>
        realName ?? (userId is null ? "系统" : $"用户{userId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    public static string Masked(string? realName) => realName is { Length: > 0 } name ? name[..1] + "*" : Anonymous;

    public async Task<IReadOnlyDictionary<long, string>> MaskedAsync(IReadOnlyCollection<long> memberIds, CancellationToken ct)
    {
        var found = new Dictionary<long, string>(memberIds.Count);
        List<long>? missing = null;
        foreach (var id in memberIds)
        {
            if (_names.TryGet(id, out var name))
            {
                found[id] = name;
            }
            else
            {
                (missing ??= []).Add(id);
            }
        }
        if (missing is null)
        {
            return found;
        }
        var readAt = ForgetMarks.Now();
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(Names, new { ids = missing }, cancellationToken: ct));
        foreach (var row in rows)
        {
            var masked = Masked(row.RealName);
            found[row.Id] = masked;
            // A read that started before an erasure committed does not put the old name back.
            _names.Store(row.Id, masked, row.Id, readAt);
        }
        return found;
    }

    /// <summary>After a commit that changed or erased the member's name.</summary>
    public Task ForgetAsync(long memberId) => _names.ForgetAsync(memberId);

    /// <summary>Raised on this instance whenever a name is forgotten here, whichever instance erased it.</summary>
    public event Action<long>? Forgotten
    {
        add => _names.Forgotten += value;
        remove => _names.Forgotten -= value;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _names.SubscribeAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _names.Dispose();
}
