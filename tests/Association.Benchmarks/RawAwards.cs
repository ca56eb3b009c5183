using System.Diagnostics;
using Association.Api.Points;
using Dapper;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// The raw baseline: the same award transaction the API runs (PointsLedger.AwardAsync on one
/// connection and transaction), driven by WORKERS concurrent loops for SECONDS, without HTTP, auth or
/// scope checks. Sources are unique per call, members random, as in award.lua.
/// </summary>
public static class RawAwards
{
    public static async Task<int> RunAsync(string connectionString, int workers, int seconds)
    {
        var dataSource = new MySqlDataSourceBuilder(connectionString).Build();
        long firstMember, lastMember;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            (firstMember, lastMember) = await connection.QuerySingleAsync<(long, long)>("SELECT MIN(id), MAX(id) FROM members WHERE real_name = 'bench'");
        }
        var source = 9_000_000_000L + Random.Shared.Next(0, 1_000_000) * 1000L;
        var latencies = new List<double>[workers];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var begin = Stopwatch.GetTimestamp();
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation);
                await PointsLedger.AwardAsync(connection, transaction, Random.Shared.NextInt64(firstMember, lastMember + 1), WorkKind.InsuranceEnrolled,
                    "Bench", Interlocked.Increment(ref source), 1, DateTimeOffset.UtcNow, null, DateTime.UtcNow, default);
                await transaction.CommitAsync();
                mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"raw workers={workers} requests={all.Length} rps={all.Length / elapsed:0} p50={Percentile(all, 0.50):0.00}ms p99={Percentile(all, 0.99):0.00}ms");
        return 0;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
