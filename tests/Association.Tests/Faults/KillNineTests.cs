using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Association.Api.Points;
using Association.Tests.Infrastructure;
using Dapper;

namespace Association.Tests.Faults;

/// <summary>
/// The API as its own process, killed with SIGKILL in the middle of 200 keyed writes (adjustments and awards), restarted,
/// and every request sent again with its key, as phones retry: each write must exist exactly once, every retry must get the
/// answer of the write, and the totals must still equal the ledger.
/// </summary>
public sealed class KillNineTests(DemoApp app) : IClassFixture<DemoApp>
{
    private const int Writes = 200;

    private sealed record Write(string Key, string Path, object Body, string Marker);

    [Fact]
    public async Task KeyedWrites_WhenTheApiIsKilledMidwayAndEveryRequestIsRetried_AreEachMadeExactlyOnce()
    {
        var admin = await app.VillageAdminAsync("TX-DTP-HH");
        var at = app.Clock.Now.AddMinutes(-20);
        var members = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            members.Add((await app.NewMemberAsync("TX-DTP-HH-01")).Member.Id);
        }
        var run = Guid.NewGuid().ToString("N")[..8];
        var writes = new List<Write>();
        for (var i = 0; i < Writes; i++)
        {
            var member = members[i % members.Count];
            writes.Add(i % 2 == 0
                ? new Write($"{run}-{i}", "/api/points/adjustments", new AdjustmentRequest(member, 1 + i % 5, $"补录-{run}-{i}"), $"补录-{run}-{i}")
                : new Write($"{run}-{i}", "/api/points/awards", new AwardRequest(member, WorkKind.PatrolCompleted, AwardSourceKind.Patrol,
                    await app.ConfirmedPatrolAsync(member, admin.UserId, at.AddSeconds(i)), 1, at.AddSeconds(i)), ""));
        }

        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.Session.AccessToken);
        var api = await StartApiAsync(http, port);
        var answers = new Dictionary<string, string>();
        int Answered()
        {
            lock (answers)
            {
                return answers.Count;
            }
        }
        var killed = false;
        try
        {
            var sent = 0;
            var round = writes.Select(async write =>
            {
                // A few at a time, as phones send them, so that the kill finds some answered, some in flight, some not sent.
                await Task.Delay(TimeSpan.FromMilliseconds(5 * Interlocked.Increment(ref sent)));
                try
                {
                    var response = await SendAsync(http, write);
                    if (response.Status == HttpStatusCode.Created)
                    {
                        lock (answers)
                        {
                            answers[write.Key] = response.Body;
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The instance died under the request: the phone does not know whether it was written.
                }
            }).ToList();
            // Killed once a tenth were answered: by then more are in flight and the rest not sent yet.
            var all = Task.WhenAll(round);
            while (!all.IsCompleted && Answered() < Writes / 10)
            {
                await Task.Delay(5);
            }
            api.Kill(entireProcessTree: true);
            killed = true;
            await Task.WhenAll(round);
        }
        finally
        {
            if (!killed)
            {
                api.Kill(entireProcessTree: true);
            }
            await api.WaitForExitAsync();
            api.Dispose();
        }

        Assert.InRange(answers.Count, 1, Writes - 1);
        using var restarted = await StartApiAsync(http, port);
        try
        {
            foreach (var write in writes)
            {
                var retry = await SendAsync(http, write);
                Assert.True(retry.Status == HttpStatusCode.Created, $"{write.Path} {write.Key}: {retry.Status} {retry.Body}");
                if (answers.TryGetValue(write.Key, out var first))
                {
                    Assert.Equal(first, retry.Body);
                }
            }
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }

        await using var connection = await app.Db.OpenConnectionAsync();
        var adjustments = (await connection.QueryAsync<string>("SELECT reason FROM point_entries WHERE reason LIKE @pattern",
            new { pattern = $"补录-{run}-%" })).ToList();
        Assert.Equal(writes.Where(w => w.Marker.Length > 0).Select(w => w.Marker).Order(), adjustments.Order());
        var awards = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM point_entries WHERE member_id IN @members AND entry_kind = 'Award'",
            new { members });
        Assert.Equal(Writes / 2, awards);
        Assert.Equal(Writes, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM idempotency_keys WHERE caller_id = @id AND idem_key LIKE @pattern", new { id = admin.UserId, pattern = $"{run}-%" }));
        Assert.Empty(await PointsInvariant.CheckAsync(app.Db));
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, Write write)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, write.Path) { Content = JsonContent.Create(write.Body, write.Body.GetType()) };
        request.Headers.Add("Idempotency-Key", write.Key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The built API (the same configuration as this test) on the fixture's database and Redis prefix.</summary>
    private async Task<Process> StartApiAsync(HttpClient http, int port)
    {
        var start = new ProcessStartInfo("dotnet", [ApiDll(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__ConnectionString"] = app.ConnectionString,
            ["Redis__Configuration"] = TestServers.Redis,
            ["Redis__KeyPrefix"] = app.RedisKeyPrefix,
            ["WeChat__AppId"] = app.WeChat.AppId,
            ["WeChat__AppSecret"] = app.WeChat.AppSecret,
            ["WeChat__BaseUrl"] = app.WeChat.BaseUrl,
            ["FieldEncryption__ActiveKeyId"] = "k9",
            ["FieldEncryption__Keys__k9"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["FieldEncryption__LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Jobs__RunServer"] = "false",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The API process did not become ready.");
    }

    /// <summary>The API's own build output beside this test's (same configuration), found from the solution's folder.</summary>
    private static string ApiDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Association.sln")))
        {
            root = root.Parent;
        }
        return Path.Combine(root!.FullName, "backend", "Association.Api", "bin", configuration, "net10.0", "Association.Api.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
