using Dapper;
using MySqlConnector;

namespace Association.Api.Points;

/// <summary>How the ledger's entries are read back, for statements and for the answers of the writes that made them.</summary>
public static class PointEntries
{
    /// <summary>Every entry column under alias <c>e</c>, with the version of its rule.</summary>
    internal const string Columns = """
        SELECT e.id, e.member_id, e.entry_kind, e.points, e.requested_points, e.rule_id, r.version AS rule_version, e.work_kind,
               e.source_kind, e.source_id, e.reverses_entry_id, e.quarter, e.reason, e.note, e.caused_by, e.created_at
          FROM point_entries e
          LEFT JOIN point_rules r ON r.id = e.rule_id
        """;

    private const string ById = Columns + " WHERE e.id = @id";

    internal sealed class Row
    {
        public long Id { get; init; }
        public long MemberId { get; init; }
        public string EntryKind { get; init; } = "";
        public int Points { get; init; }
        public int? RequestedPoints { get; init; }
        public long? RuleId { get; init; }
        public int? RuleVersion { get; init; }
        public string? WorkKind { get; init; }
        public string? SourceKind { get; init; }
        public long? SourceId { get; init; }
        public long? ReversesEntryId { get; init; }
        public string Quarter { get; init; } = "";
        public string? Reason { get; init; }
        public string? Note { get; init; }
        public long? CausedBy { get; init; }
        public DateTime CreatedAt { get; init; }

        public PointEntry ToEntry() => new(Id, MemberId, Enum.Parse<EntryKind>(EntryKind), Points, RequestedPoints, RuleId, RuleVersion,
            WorkKind is null ? null : Enum.Parse<WorkKind>(WorkKind),
            SourceKind is null ? null : Enum.Parse<AwardSourceKind>(SourceKind), SourceId, ReversesEntryId, Quarter, Reason, Note, CausedBy, CreatedAt);
    }

    internal static Task<PointEntry> ReadAsync(MySqlConnection connection, long id, CancellationToken ct) => ReadAsync(connection, null, id, ct);

    internal static async Task<PointEntry> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, long id, CancellationToken ct) =>
        (await connection.QuerySingleAsync<Row>(new CommandDefinition(ById, new { id }, transaction, cancellationToken: ct))).ToEntry();
}
