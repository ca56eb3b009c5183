using Dapper;
using MySqlConnector;

namespace Association.Api.Organisation;

/// <summary>Adds a unit under a parent, filling in its materialised path inside the caller's transaction.</summary>
public static class OrgUnitInsert
{
    private const string InsertUnit = """
        INSERT INTO org_units (parent_id, kind, code, name, households, path, created_at, updated_at)
        VALUES (@parentId, @kind, @code, @name, @households, '', @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    private const string ParentPath = "SELECT path FROM org_units WHERE id = @parentId";

    private const string SetPath = "UPDATE org_units SET path = CONCAT(@parentPath, id, '/') WHERE id = @id";

    public static async Task<long> InsertAsync(MySqlConnection connection, MySqlTransaction transaction,
        long? parentId, OrgUnitKind kind, string code, string name, int? households, DateTime now, CancellationToken ct = default)
    {
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertUnit,
            new { parentId, kind = kind.ToString(), code, name, households, now }, transaction, cancellationToken: ct));
        var parentPath = parentId is null
            ? "/"
            : await connection.ExecuteScalarAsync<string>(new CommandDefinition(ParentPath, new { parentId }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(SetPath, new { id, parentPath }, transaction, cancellationToken: ct));
        return id;
    }
}
