using System.Diagnostics;
using Association.Api.Points;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Benchmarks;

/// <summary>
/// The raw baselines, driven by WORKERS concurrent loops for SECONDS, without HTTP or auth; each call awards the next
/// slot of the range from SLOT_BASE (<see cref="BenchSources"/>), as award.lua does. "raw": one award per transaction (PointsLedger.AwardAsync, what every other
/// path that earns points runs; no scope check). "raw-batched": the API's own transaction, awards grouped by the
/// AwardQueue the API uses (scope checks included, in the SQL), called directly.
/// </summary>
public static class RawAwards
{
    public static async Task<int> RunAsync(string connectionString, int workers, int seconds, bool batched, int warmUpSeconds)
    {
        var dataSource = new MySqlDataSourceBuilder(connectionString).Build();
        long firstMember, lastMember, adminId;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            (firstMember, lastMember) = await connection.QuerySingleAsync<(long, long)>("SELECT MIN(id), MAX(id) FROM members WHERE real_name = 'bench'");
            adminId = await connection.QuerySingleAsync<long>("SELECT id FROM users WHERE openid = 'bench-admin'");
        }
        var slot = long.Parse(Environment.GetEnvironmentVariable("SLOT_BASE") ?? "0", System.Globalization.CultureInfo.InvariantCulture) - 1;
        var occurredAt = DateTimeOffset.Parse(Environment.GetEnvironmentVariable(BenchSources.OccurredAtVariable)!, System.Globalization.CultureInfo.InvariantCulture);
        var members = lastMember - firstMember + 1;
        if (batched)
        {
            var queue = new AwardQueue(dataSource, TimeProvider.System, Options.Create(new JsonOptions()), NullLogger<AwardQueue>.Instance);
            await queue.StartAsync(default);
            await MeasureAsync("raw-batched", workers, seconds, warmUpSeconds, async () =>
            {
                var (source, member) = BenchSources.Of(Interlocked.Increment(ref slot), firstMember, members);
                var result = await queue.AwardAsync(new AwardCommand(adminId, member, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, source, 1, occurredAt));
                if (result.Decision != AwardDecision.Awarded)
                {
                    throw new InvalidOperationException($"The award was {result.Decision}.");
                }
            });
            await queue.StopAsync(default);
            return 0;
        }
        await MeasureAsync("raw", workers, seconds, warmUpSeconds, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync(PointsLedger.Isolation);
            var (source, member) = BenchSources.Of(Interlocked.Increment(ref slot), firstMember, members);
            await PointsLedger.AwardAsync(connection, transaction, member, WorkKind.PatrolCompleted, AwardSourceKind.Patrol, source, 1, occurredAt,
                null, DateTime.UtcNow, default);
            await transaction.CommitAsync();
        });
        return 0;
    }

    private static async Task MeasureAsync(string name, int workers, int seconds, int warmUpSeconds, Func<Task> award)
    {
        // As long as the API is warmed up: on two busy cores the tiered JIT needs that long to reach optimised code.
        await RunForAsync(workers, warmUpSeconds, award, null);
        var latencies = new List<double>[workers];
        var started = Stopwatch.GetTimestamp();
        await RunForAsync(workers, seconds, award, latencies);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"{name} workers={workers} requests={all.Length} rps={all.Length / elapsed:0} p50={Percentile(all, 0.50):0.00}ms p99={Percentile(all, 0.99):0.00}ms");
    }

    private static async Task RunForAsync(int workers, int seconds, Func<Task> award, List<double>[]? latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var begin = Stopwatch.GetTimestamp();
                await award();
                mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }
            if (latencies is not null)
            {
                latencies[w] = mine;
            }
        }));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
