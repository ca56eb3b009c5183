using System.Diagnostics;

namespace Association.Benchmarks;

/// <summary>
/// A fixed single-threaded piece of work, timed. This machine's speed drifts by 20% and more within an hour (a shared
/// host), which moves every absolute figure of a run; printed at the start and the end of a run, it says how fast the
/// machine was meanwhile. Lower is faster.
/// </summary>
public static class CpuReference
{
    public static int Run()
    {
        var random = new Random(42);
        var source = Enumerable.Range(0, 2_000_000).Select(_ => random.Next()).ToArray();
        var work = new int[source.Length];
        var rounds = new double[5];
        for (var round = 0; round < rounds.Length; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 4; i++)
            {
                source.CopyTo(work, 0);
                Array.Sort(work);
            }
            rounds[round] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(rounds);
        Console.WriteLine($"cpu-reference ms={rounds[2]:F0} (sorting 2 million integers 4 times on one core, median of 5; lower is faster)");
        return 0;
    }
}
