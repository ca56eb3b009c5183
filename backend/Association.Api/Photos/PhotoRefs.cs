using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Photos;

/// <summary>
/// Records point at photos by the id the upload answered. A record may only carry photos its author uploaded:
/// a photo id seen on a colleague's report must not become proof of one's own patrol, and an id that was never
/// uploaded would show as a broken picture for ever.
/// </summary>
public static class PhotoRefs
{
    private const string OwnedCount = "SELECT COUNT(*) FROM photos WHERE owner_user_id = @callerId AND id IN @ids";

    /// <summary>Null when every id is a photo the caller uploaded; otherwise a 400 naming <paramref name="field"/>.</summary>
    public static async Task<ValidationProblem?> CheckOwnedAsync(MySqlConnection connection, MySqlTransaction? transaction,
        long callerId, IReadOnlyCollection<string>? ids, string field, CancellationToken ct)
    {
        var distinct = ids?.Select(id => id.Trim()).Where(id => id.Length > 0).Distinct().ToList() ?? [];
        if (distinct.Count == 0)
        {
            return null;
        }
        var owned = await connection.ExecuteScalarAsync<long>(new CommandDefinition(OwnedCount, new { callerId, ids = distinct }, transaction, cancellationToken: ct));
        return owned == distinct.Count
            ? null
            : Problems.Invalid(field, "photos.ref.notOwned");
    }
}
