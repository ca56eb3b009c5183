using System.Diagnostics;
using Association.Api.Platform.Redis;
using Association.Api.Rankings;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;

namespace Association.Benchmarks;

/// <summary>The ranking job against its raw anchor, on the same data, in the same run.</summary>
public static class RankingBench
{
    // The anchor: the same GROUP BY-free ranking the job does (RANK over the period totals per scope),
    // read straight from MariaDB and thrown away.
    private const string Anchor = """
        SELECT COUNT(*), SUM(r) FROM (
            SELECT RANK() OVER (PARTITION BY CASE @scope WHEN 'Grid' THEN g.id WHEN 'Village' THEN v.id ELSE s.id END
                                ORDER BY COALESCE(pp.points, 0) DESC) AS r
              FROM members m
              JOIN org_units g ON g.id = m.grid_id
              JOIN org_units v ON v.id = g.parent_id
              JOIN org_units s ON s.id = v.parent_id
              LEFT JOIN member_period_points pp ON pp.member_id = m.id AND pp.period = @quarter
             WHERE m.status = 'Active' OR COALESCE(pp.points, 0) <> 0) ranked
        """;

    // The same three ranks from one scan with three windows: not the anchor the issue names, reported beside it.
    private const string SingleScan = """
        SELECT COUNT(*), SUM(grid_rank), SUM(village_rank), SUM(sub_district_rank) FROM (
            SELECT RANK() OVER (PARTITION BY g.id ORDER BY COALESCE(pp.points, 0) DESC) AS grid_rank,
                   RANK() OVER (PARTITION BY v.id ORDER BY COALESCE(pp.points, 0) DESC) AS village_rank,
                   RANK() OVER (PARTITION BY s.id ORDER BY COALESCE(pp.points, 0) DESC) AS sub_district_rank
              FROM members m
              JOIN org_units g ON g.id = m.grid_id
              JOIN org_units v ON v.id = g.parent_id
              JOIN org_units s ON s.id = v.parent_id
              LEFT JOIN member_period_points pp ON pp.member_id = m.id AND pp.period = @quarter
             WHERE m.status = 'Active' OR COALESCE(pp.points, 0) <> 0) ranked
        """;

    public static async Task<int> RunAsync(string connectionString, string redisConfiguration, string prefix)
    {
        var quarter = Association.Api.Platform.Quarter.Current(TimeProvider.System).ToString();
        var dataSource = new MySqlDataSourceBuilder(connectionString + ";Default Command Timeout=3600").Build();

        var anchor = Stopwatch.StartNew();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            foreach (var scope in Enum.GetNames<RankingScope>())
            {
                await connection.ExecuteScalarAsync(new CommandDefinition(Anchor, new { scope, quarter }, commandTimeout: 3600));
            }
        }
        anchor.Stop();
        var singleScan = Stopwatch.StartNew();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteScalarAsync(new CommandDefinition(SingleScan, new { quarter }, commandTimeout: 3600));
        }
        singleScan.Stop();

        var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var keys = new RedisKeys(Options.Create(new RedisOptions { Configuration = redisConfiguration, KeyPrefix = prefix }));
        var invalidation = new InvalidationChannel(redis, new RedisBreaker(redis, Options.Create(new RedisOptions { Configuration = redisConfiguration }), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisBreaker>.Instance),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<InvalidationChannel>.Instance);
        var answers = new LeaderboardAnswers(invalidation, keys, new Association.Api.Members.MemberNames(dataSource, invalidation, keys));
        var rebuilder = new LeaderboardRebuilder(dataSource, redis, keys, answers);
        var units = new UnitRankWriter(dataSource, new Association.Api.Figures.FigureRollup(dataSource, TimeProvider.System), TimeProvider.System);
        var job = new RankingsJob(dataSource, new RankRunWriter(dataSource), units, rebuilder, Options.Create(new RankingOptions()), TimeProvider.System);

        var compute = Stopwatch.StartNew();
        await job.ComputeAsync(quarter, finalise: false, default);
        compute.Stop();
        // Again, now replacing a published run (its partition is dropped at the end).
        var recompute = Stopwatch.StartNew();
        await job.ComputeAsync(quarter, finalise: false, default);
        recompute.Stop();
        // The unit-ranking part alone, under a run id no run has, then taken away again: as an hourly run does it (the
        // measures read from the rollup, ranked and written; the points per grid come summed from the members' pass) and
        // as the final run of a quarter does it (the quarter's figures refreshed first).
        var unitRanks = Stopwatch.StartNew();
        await units.WriteAsync(-1, quarter, new Dictionary<long, long>(), final: false, default);
        unitRanks.Stop();
        var unitRanksFinal = Stopwatch.StartNew();
        await units.WriteAsync(-2, quarter, new Dictionary<long, long>(), final: true, default);
        unitRanksFinal.Stop();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM unit_rank_entries WHERE run_id IN (-1, -2)");
        }
        var publish = Stopwatch.StartNew();
        await rebuilder.RebuildAsync(quarter, default);
        publish.Stop();

        var process = Process.GetCurrentProcess();
        Console.WriteLine($"anchor_ms={anchor.ElapsedMilliseconds} single_scan_ranks_ms={singleScan.ElapsedMilliseconds} " +
                          $"job_compute_ms={compute.ElapsedMilliseconds} job_recompute_ms={recompute.ElapsedMilliseconds} job_publish_ms={publish.ElapsedMilliseconds} " +
                          $"ratio={(double)compute.ElapsedMilliseconds / anchor.ElapsedMilliseconds:0.00} recompute_ratio={(double)recompute.ElapsedMilliseconds / anchor.ElapsedMilliseconds:0.00} " +
                          $"unit_ranks_ms={unitRanks.ElapsedMilliseconds} unit_ranks_added={(double)unitRanks.ElapsedMilliseconds / Math.Max(1, compute.ElapsedMilliseconds - unitRanks.ElapsedMilliseconds):0.00} " +
                          $"unit_ranks_final_ms={unitRanksFinal.ElapsedMilliseconds} unit_ranks_final_added={(double)unitRanksFinal.ElapsedMilliseconds / Math.Max(1, compute.ElapsedMilliseconds - unitRanks.ElapsedMilliseconds):0.00} " +
                          $"job_peak_rss_mb={process.PeakWorkingSet64 / 1024 / 1024}");
        return 0;
    }
}
