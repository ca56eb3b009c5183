using Association.Benchmarks;

// As the API does at start-up (DatabaseSetup): snake_case columns map to PascalCase members.
Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

// seed CONNECTION MEMBERS      -> members in every demo grid and a SubDistrictAdmin session; prints its token
// raw CONNECTION WORKERS SECS  -> the award transaction straight through MySqlConnector; prints one result line
// token CONNECTION             -> a new session for the admin an earlier seed made; prints its token
return args switch
{
    ["seed", var connection, var members] => await BenchData.SeedAsync(connection, int.Parse(members, System.Globalization.CultureInfo.InvariantCulture)),
    ["raw", var connection, var workers, var seconds] => await RawAwards.RunAsync(connection,
        int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["generate", var connection, var members, var entries] => await Generator.RunAsync(connection,
        int.Parse(members, System.Globalization.CultureInfo.InvariantCulture), long.Parse(entries, System.Globalization.CultureInfo.InvariantCulture)),
    ["rankings", var connection, var redis, var prefix] => await RankingBench.RunAsync(connection, redis, prefix),
    ["token", var connection] => await BenchData.TokenAsync(connection),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: seed CONNECTION MEMBERS | raw CONNECTION WORKERS SECONDS | generate CONNECTION MEMBERS ENTRIES | rankings CONNECTION REDIS PREFIX | token CONNECTION");
    return 2;
}
