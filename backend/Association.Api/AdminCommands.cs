using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Database;
using Association.Api.Points;
using Association.Api.Roles;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api;

/// <summary>
/// Operations a deployment runs once and exits: <c>migrate</c> (apply the schema),
/// <c>seed-demo [--rich [--leader-openid OPENID] [--village-openid OPENID]]</c> (migrate, then load the demo organisation
/// when the database is empty; with --rich a living association on it, see <see cref="Demo.RichDemo"/>) and
/// <c>bootstrap-admin --openid OPENID (--sub-district CODE | --district CODE)</c> (the first SubDistrictAdmin or DistrictAdmin),
/// <c>rollup-figures --from 2026-01 [--to 2026-12]</c> (rebuilds the monthly figures of a range).
/// </summary>
public static class AdminCommands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return false;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Association.Commands");
        var connectionString = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString;
        var time = app.Services.GetRequiredService<TimeProvider>();
        try
        {
            switch (args[0])
            {
                case "migrate":
                    Migrator.Apply(connectionString, logger);
                    break;
                case "seed-demo":
                    Migrator.Apply(connectionString, logger);
                    var added = await OrganisationDemoData.SeedAsync(app.Services.GetRequiredService<MySqlDataSource>(), time.DbUtcNow());
                    // The demo's rules reach back a year, as far as work may be dated, so every award finds one.
                    await PointsDemoData.SeedAsync(app.Services.GetRequiredService<MySqlDataSource>(), time.Today().AddYears(-1), time.DbUtcNow());
                    logger.LogInformation("Demo organisation: {Added}", added ? "loaded" : "already present, left alone");
                    if (args.Contains("--rich"))
                    {
                        await app.Services.GetRequiredService<Demo.RichDemo>().SeedAsync(
                            OptionalOption(args, "--leader-openid"), OptionalOption(args, "--village-openid"), CancellationToken.None);
                    }
                    await app.Services.GetRequiredService<Figures.FiguresRollupJob>().RunAsync(CancellationToken.None);
                    break;
                case "rollup-figures":
                    var rollup = app.Services.GetRequiredService<Figures.FigureRollup>();
                    var lastMonth = OptionalOption(args, "--to") is { } toText ? MonthOption(toText) : Figures.FigureRollup.MonthOf(time.Today());
                    for (var month = MonthOption(Option(args, "--from")); month <= lastMonth; month = month.AddMonths(1))
                    {
                        await rollup.RollUpAsync(month, CancellationToken.None);
                        logger.LogInformation("Figures of {Month} rolled up", Months.Written(month));
                    }
                    break;
                case "check-points":
                    var differences = await PointsInvariant.CheckAsync(app.Services.GetRequiredService<MySqlDataSource>());
                    foreach (var d in differences)
                    {
                        logger.LogError("Member {MemberId} {Period}: stored {Stored}, ledger {FromLedger}", d.MemberId, d.Period, d.Stored, d.FromLedger);
                    }
                    logger.LogInformation("Points totals checked against the ledger: {Count} differences", differences.Count);
                    Environment.ExitCode = differences.Count == 0 ? 0 : 3;
                    break;
                case "bootstrap-admin":
                    Migrator.Apply(connectionString, logger);
                    var ofDistrict = args.Contains("--district");
                    var userId = await FirstAdmin.GrantAsync(app.Services.GetRequiredService<MySqlDataSource>(),
                        Option(args, "--openid"), Option(args, ofDistrict ? "--district" : "--sub-district"), time, district: ofDistrict);
                    logger.LogInformation("User {UserId} is {Role}", userId, ofDistrict ? "DistrictAdmin" : "SubDistrictAdmin");
                    break;
                default:
                    logger.LogError("Unknown command {Command}; known: migrate, seed-demo, bootstrap-admin, check-points, rollup-figures", args[0]);
                    Environment.ExitCode = 2;
                    break;
            }
        }
        catch (ArgumentException ex)
        {
            logger.LogError("{Command}: {Problem}", args[0], ex.Message);
            Environment.ExitCode = 2;
        }
        catch (Exception ex) when (ex is MySqlException or EvolveDb.EvolveException)
        {
            logger.LogError("{Command} failed: {Reason}", args[0], ex.Message);
            Environment.ExitCode = 1;
        }
        return true;
    }

    private static DateOnly MonthOption(string text) =>
        Months.TryParse(text, out var month) ? month : throw new ArgumentException($"{text} is not a month like 2026-03.");

    private static string? OptionalOption(string[] args, string name) => args.Contains(name) ? Option(args, name) : null;

    private static string Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{name} is required.");
    }
}
