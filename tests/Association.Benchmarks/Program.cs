using Association.Benchmarks;

// As the API does at start-up (DatabaseSetup): snake_case columns map to PascalCase members.
Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

// seed CONNECTION MEMBERS      -> members in every demo grid and a SubDistrictAdmin session; prints its token
// sources CONNECTION SLOTS     -> confirmed patrols of the bench members, one participation per slot; prints their start
// generate CONNECTION MEMBERS ENTRIES -> the ranking benchmark's members and ledger; generate-work CONNECTION PATROLS REPORTS -> their year's work
// figures-raw CONNECTION SUBDISTRICT RUNS -> the figures of the last twelve months by GROUP BY over the base tables, timed
// raw CONNECTION WORKERS SECS  -> one award per transaction straight through MySqlConnector; prints one result line
// raw-batched CONNECTION WORKERS SECS -> the API's batched award transaction (AwardQueue) called directly; one result line
// token CONNECTION             -> a new session for the admin an earlier seed made; prints its token
// cpu-reference                -> times a fixed piece of work on one core, to read a run's figures against
return args switch
{
    ["seed", var connection, var members] => await BenchData.SeedAsync(connection, int.Parse(members, System.Globalization.CultureInfo.InvariantCulture)),
    ["sources", var connection, var slots] => await BenchSources.SeedAsync(connection, long.Parse(slots, System.Globalization.CultureInfo.InvariantCulture)),
    ["raw", var connection, var workers, var seconds] => await RawAwards.RunAsync(connection,
        int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), batched: false, WarmUpSeconds()),
    ["raw-batched", var connection, var workers, var seconds] => await RawAwards.RunAsync(connection,
        int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), batched: true, WarmUpSeconds()),
    ["generate", var connection, var members, var entries] => await Generator.RunAsync(connection,
        int.Parse(members, System.Globalization.CultureInfo.InvariantCulture), long.Parse(entries, System.Globalization.CultureInfo.InvariantCulture)),
    ["generate-work", var connection, var patrols, var reports] => await WorkGenerator.RunAsync(connection,
        long.Parse(patrols, System.Globalization.CultureInfo.InvariantCulture), long.Parse(reports, System.Globalization.CultureInfo.InvariantCulture)),
    ["rankings", var connection, var redis, var prefix] => await RankingBench.RunAsync(connection, redis, prefix),
    ["figures-raw", var connection, var subDistrict, var runs] => await FiguresBench.RunAsync(connection,
        long.Parse(subDistrict, System.Globalization.CultureInfo.InvariantCulture), int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture)),
    ["token", var connection] => await BenchData.TokenAsync(connection),
    ["cpu-reference"] => CpuReference.Run(),
    _ => Usage(),
};

static int WarmUpSeconds() => int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP") ?? "30", System.Globalization.CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("usage: seed CONNECTION MEMBERS | sources CONNECTION SLOTS | raw CONNECTION WORKERS SECONDS | raw-batched CONNECTION WORKERS SECONDS | generate CONNECTION MEMBERS ENTRIES | generate-work CONNECTION PATROLS REPORTS | rankings CONNECTION REDIS PREFIX | figures-raw CONNECTION SUBDISTRICT RUNS | token CONNECTION | cpu-reference");
    return 2;
}
