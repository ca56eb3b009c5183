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

    public static async Task<int> RunAsync(string connectionString, string redisConfiguration, string prefix)
    {
        var quarter = $"{DateTime.UtcNow.AddHours(8).Year}Q{(DateTime.UtcNow.AddHours(8).Month - 1) / 3 + 1}";
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

        var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var keys = new RedisKeys(Options.Create(new RedisOptions { Configuration = redisConfiguration, KeyPrefix = prefix }));
        var rebuilder = new LeaderboardRebuilder(dataSource, redis, keys);
        var job = new RankingsJob(dataSource, rebuilder, Options.Create(new RankingOptions()), TimeProvider.System);

        var compute = Stopwatch.StartNew();
        await job.ComputeAsync(quarter, finalise: false, default);
        compute.Stop();
        var publish = Stopwatch.StartNew();
        await rebuilder.RebuildAsync(quarter, default);
        publish.Stop();

        var process = Process.GetCurrentProcess();
        Console.WriteLine($"anchor_ms={anchor.ElapsedMilliseconds} job_compute_ms={compute.ElapsedMilliseconds} job_publish_ms={publish.ElapsedMilliseconds} " +
                          $"ratio={(double)compute.ElapsedMilliseconds / anchor.ElapsedMilliseconds:0.00} job_peak_rss_mb={process.PeakWorkingSet64 / 1024 / 1024}");
        return 0;
    }
}
