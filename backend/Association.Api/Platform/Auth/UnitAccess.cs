using Dapper;
using MySqlConnector;

namespace Association.Api.Platform.Auth;

/// <summary>
/// The caller's standing on one unit of the organisation tree, read in one query: the unit's kind and each kind of
/// scope (<see cref="Scope"/>) the caller has over it. Null when there is no such unit or the caller does not see it
/// (holds no role on it or above it): a unit out of scope is answered exactly as a missing one.
/// </summary>
public sealed class UnitAccess
{
    private const string Columns = """
        SELECT target.id, target.kind, (
        """ + Scope.Sees + """
        ) AS sees, (
        """ + Scope.Administers + """
        ) AS administers, (
        """ + Scope.AdministersBelow + """
        ) AS administers_below, (
        """ + Scope.SubDistrictAdminOf + """
        ) AS sub_district_admin
          FROM org_units target
         WHERE target.id = @unitId AND
        """ + " " + Scope.Sees;

    // Holds the unit until commit, so the checked scope and the write that follows cannot drift apart.
    private const string ColumnsForUpdate = Columns + " FOR UPDATE";

    private const string SeenName = "SELECT target.name FROM org_units target WHERE target.id = @unitId AND (@kind IS NULL OR target.kind = @kind) AND " + Scope.Sees;

    private const string HoldsSubDistrictAdmin = "SELECT COUNT(*) FROM role_assignments WHERE user_id = @callerId AND role = 'SubDistrictAdmin'";

    public long Id { get; init; }

    /// <summary>The unit's kind as the tree stores it (District, SubDistrict, Village, Grid).</summary>
    public string Kind { get; init; } = "";

    /// <summary>The caller holds a role on the unit or above it (always, for a unit read at all).</summary>
    public bool Sees { get; init; }

    /// <summary>The caller is an admin of the unit or of a unit above it.</summary>
    public bool Administers { get; init; }

    /// <summary>The caller is an admin of a unit strictly above it.</summary>
    public bool AdministersBelow { get; init; }

    /// <summary>The caller is SubDistrictAdmin of the sub-district holding it.</summary>
    public bool SubDistrictAdmin { get; init; }

    public static Task<UnitAccess?> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long unitId, long callerId,
        CancellationToken ct, bool lockUnit = false) =>
        connection.QuerySingleOrDefaultAsync<UnitAccess>(new CommandDefinition(lockUnit ? ColumnsForUpdate : Columns,
            new { unitId, callerId }, transaction, cancellationToken: ct));

    /// <summary>The unit's name when the caller sees it (and it is of the kind asked for), null otherwise: for a sheet's title.</summary>
    public static Task<string?> SeenNameAsync(MySqlConnection connection, long unitId, long callerId, CancellationToken ct, string? kind = null) =>
        connection.ExecuteScalarAsync<string?>(new CommandDefinition(SeenName, new { unitId, callerId, kind }, cancellationToken: ct));

    /// <summary>Whether the caller is SubDistrictAdmin of any sub-district (jobs, recomputing rankings).</summary>
    public static async Task<bool> IsSubDistrictAdminAnywhereAsync(MySqlConnection connection, long callerId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(HoldsSubDistrictAdmin, new { callerId }, cancellationToken: ct)) > 0;
}
