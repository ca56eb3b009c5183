using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Association.Tests.Infrastructure;

namespace Association.Tests.Platform;

public sealed class HealthTests(AssociationApp app) : IClassFixture<AssociationApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task GetLive_WhenRunning_Returns200()
    {
        var response = await _client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetReady_WhenBothServersAnswer_Returns200WithEachCheckHealthy()
    {
        // The Redis connection opens in the background: until its first connect the instance is ready but Degraded.
        var body = await WaitForReadyAsync(_client);
        for (var attempt = 0; body.GetProperty("status").GetString() != "Healthy" && attempt < 50; attempt++)
        {
            await Task.Delay(100);
            body = await WaitForReadyAsync(_client);
        }

        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("mariadb").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    /// <summary>The start-up migrator runs in the background; readiness turns green once it is done.</summary>
    internal static async Task<JsonElement> WaitForReadyAsync(HttpClient client)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK || attempt == 50)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }
            await Task.Delay(100);
        }
    }
}
