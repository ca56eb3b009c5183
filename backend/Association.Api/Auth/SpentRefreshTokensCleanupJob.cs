using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Auth;

/// <summary>
/// Forgets spent refresh tokens once they would have expired anyway: presented after that, one is refused as any
/// expired token is. In small batches; running it twice only finds less to delete.
/// </summary>
public sealed class SpentRefreshTokensCleanupJob(MySqlDataSource db, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string DropSome = "DELETE FROM spent_refresh_tokens WHERE spent_at < @before LIMIT 1000";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var before = time.DbUtcNow().AddDays(-options.Value.RefreshTokenDays);
        return await BatchedDelete.RunAsync(db, DropSome, new { before }, ct);
    }
}
