using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MySqlConnector;

namespace Association.Api.Rankings;

/// <summary>
/// Writes the rank rows of one run: reads the quarter's points in ranking order on one connection, ranks
/// every scope in one pass (<see cref="RankAssigner"/>) and inserts batches on other connections while
/// the next batches are read, so MariaDB sorts once and the job holds a few batches in memory.
/// </summary>
public sealed class RankRunWriter(MySqlDataSource db)
{
    private const int BatchSize = 2000;

    // Index maintenance is most of a run's cost; two inserting sessions keep both of a small server's cores busy.
    private const int InsertSessions = 2;

    // Members count when active, or when they have points in the quarter whatever their status now.
    private const string Candidates = """
        SELECT m.id, COALESCE(pp.points, 0) AS points, g.id, v.id, s.id
          FROM members m
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units v ON v.id = g.parent_id
          JOIN org_units s ON s.id = v.parent_id
          LEFT JOIN member_period_points pp ON pp.member_id = m.id AND pp.period = @quarter
         WHERE m.status = 'Active' OR COALESCE(pp.points, 0) <> 0
         ORDER BY COALESCE(pp.points, 0) DESC, m.id
        """;

    // A batch travels as one JSON array parameter, so the statement text stays constant.
    private const string InsertBatch = """
        INSERT INTO member_ranks (run_id, member_id, points, grid_id, grid_rank, grid_position,
                                  village_id, village_rank, village_position, sub_district_id, sub_district_rank, sub_district_position)
        SELECT @runId, r.member_id, r.points, r.grid_id, r.grid_rank, r.grid_position,
               r.village_id, r.village_rank, r.village_position, r.sub_district_id, r.sub_district_rank, r.sub_district_position
          FROM JSON_TABLE(@rows, '$[*]' COLUMNS (
                   member_id BIGINT PATH '$[0]', points INT PATH '$[1]',
                   grid_id BIGINT PATH '$[2]', grid_rank INT PATH '$[3]', grid_position INT PATH '$[4]',
                   village_id BIGINT PATH '$[5]', village_rank INT PATH '$[6]', village_position INT PATH '$[7]',
                   sub_district_id BIGINT PATH '$[8]', sub_district_rank INT PATH '$[9]', sub_district_position INT PATH '$[10]')) r
        """;

    /// <summary>Writes the run's rows; answers the points of the quarter per grid, summed in the same pass, for the unit rankings.</summary>
    public async Task<IReadOnlyDictionary<long, long>> WriteAsync(long runId, string quarter, CancellationToken ct)
    {
        var pointsByGrid = new Dictionary<long, long>();
        var batches = Channel.CreateBounded<string>(new BoundedChannelOptions(InsertSessions * 2) { SingleWriter = true });
        var inserting = Task.WhenAll(Enumerable.Range(0, InsertSessions).Select(_ => Task.Run(() => InsertAllAsync(runId, batches, ct), ct)));
        try
        {
            await ReadAllAsync(quarter, batches.Writer, pointsByGrid, ct);
            batches.Writer.TryComplete();
        }
        catch (ChannelClosedException)
        {
            // The inserts failed and closed the channel; awaiting them below raises their own error.
        }
        catch (Exception ex)
        {
            batches.Writer.TryComplete(ex);
            throw;
        }
        await inserting;
        return pointsByGrid;
    }

    private async Task ReadAllAsync(string quarter, ChannelWriter<string> batches, Dictionary<long, long> pointsByGrid, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new MySqlCommand(Candidates, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("@quarter", quarter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var assigner = new RankAssigner();
        var batch = new RankBatch();
        while (await reader.ReadAsync(ct))
        {
            var candidate = new RankCandidate(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            batch.Add(assigner.Next(candidate));
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(pointsByGrid, candidate.GridId, out _) += candidate.Points;
            if (batch.Count == BatchSize)
            {
                await batches.WriteAsync(batch.TakeJson(), ct);
            }
        }
        if (batch.Count > 0)
        {
            await batches.WriteAsync(batch.TakeJson(), ct);
        }
    }

    private async Task InsertAllAsync(long runId, Channel<string> batches, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var command = new MySqlCommand(InsertBatch, connection) { CommandTimeout = 600 };
            command.Parameters.AddWithValue("@runId", runId);
            var rows = command.Parameters.Add("@rows", MySqlDbType.LongText);
            await foreach (var json in batches.Reader.ReadAllAsync(ct))
            {
                rows.Value = json;
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        catch (Exception ex)
        {
            batches.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>Rank rows as a JSON array of arrays, the shape <see cref="InsertBatch"/> reads.</summary>
    private sealed class RankBatch
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(BatchSize * 80);
        private readonly Utf8JsonWriter _json;

        public RankBatch()
        {
            _json = new Utf8JsonWriter(_buffer);
            _json.WriteStartArray();
        }

        public int Count { get; private set; }

        public void Add(MemberRank rank)
        {
            _json.WriteStartArray();
            _json.WriteNumberValue(rank.MemberId);
            _json.WriteNumberValue(rank.Points);
            foreach (var place in (ReadOnlySpan<ScopePlace>)[rank.Grid, rank.Village, rank.SubDistrict])
            {
                _json.WriteNumberValue(place.ScopeId);
                _json.WriteNumberValue(place.Rank);
                _json.WriteNumberValue(place.Position);
            }
            _json.WriteEndArray();
            Count++;
        }

        public string TakeJson()
        {
            _json.WriteEndArray();
            _json.Flush();
            var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            _json.WriteStartArray();
            Count = 0;
            return text;
        }
    }
}
