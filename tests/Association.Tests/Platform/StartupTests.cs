using Association.Api.Platform.Database;
using Association.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Tests.Platform;

public sealed class MissingSettingsTests
{
    private sealed class App(string key) : AssociationApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [key] = "" };
    }

    [Theory]
    [InlineData("Database:ConnectionString")]
    [InlineData("Redis:Configuration")]
    [InlineData("WeChat:AppSecret")]
    [InlineData("FieldEncryption:ActiveKeyId")]
    public async Task Start_WhenRequiredSettingIsMissing_FailsAtBootNamingIt(string key)
    {
        await using var app = new App(key);
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            var thrown = Record.Exception(() => app.CreateClient());
            var failures = thrown is AggregateException many ? many.Flatten().InnerExceptions : [thrown];
            var error = Assert.IsType<OptionsValidationException>(failures.First());
            Assert.Contains(key.Split(':')[1], error.Message);
            Assert.StartsWith(key.Split(':')[0], error.OptionsType.Name);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly string _name = $"association_t_{Guid.NewGuid():N}"[..28];
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await TestServers.CreateDatabaseAsync(_name);

    public Task DisposeAsync() => TestServers.DropDatabaseAsync(_name);

    [Fact]
    public async Task Migrate_WhenRunTwice_AppliesEachScriptOnce()
    {
        Migrator.Apply(_connectionString, NullLogger.Instance);
        Migrator.Apply(_connectionString, NullLogger.Instance);

        Assert.Equal(await AppliedScriptsAsync(), ScriptCount());
    }

    [Fact]
    public async Task Migrate_WhenInstancesStartTogether_AppliesEachScriptOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator.Apply(_connectionString, NullLogger.Instance))));

        Assert.Equal(await AppliedScriptsAsync(), ScriptCount());
    }

    private static int ScriptCount() => typeof(Migrator).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));

    private async Task<int> AppliedScriptsAsync()
    {
        await using var connection = new MySqlConnection(_connectionString);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_history WHERE type = 0 AND success = 1");
    }
}
