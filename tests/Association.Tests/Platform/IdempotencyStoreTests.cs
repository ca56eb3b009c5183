using System.Security.Cryptography;
using System.Text;
using Association.Api.Platform.Http;
using Association.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Association.Tests.Platform;

/// <summary>The batched store behind Idempotency-Key: what each request learns must not depend on who shared its batch.</summary>
public sealed class IdempotencyStoreTests(AssociationApp app) : IClassFixture<AssociationApp>
{
    private IdempotencyStore Store => app.Services.GetRequiredService<IdempotencyStore>();

    private static long NewCaller() => Random.Shared.NextInt64(1_000_000, long.MaxValue);

    private static byte[] Hash(string request) => SHA256.HashData(Encoding.UTF8.GetBytes(request));

    [Fact]
    public async Task ClaimAsync_WhenOneKeyIsClaimedManyTimesAtOnce_GivesItToExactlyOneAndShowsTheOthersItInFlight()
    {
        var caller = NewCaller();

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.ClaimAsync(caller, "same-key", Hash("a"))));

        Assert.Single(claims, c => c is null);
        Assert.All(claims.Where(c => c is not null), c =>
        {
            Assert.Null(c!.StatusCode);
            Assert.Equal(Hash("a"), c.RequestHash);
        });
    }

    [Fact]
    public async Task ClaimAsync_WhenManyKeysWereJustAnswered_ReplaysEachItsOwnAnswer()
    {
        var caller = NewCaller();
        var keys = Enumerable.Range(0, 100).Select(i => $"key-{i}").ToList();

        var first = await Task.WhenAll(keys.Select(key => Store.ClaimAsync(caller, key, Hash(key))));
        for (var i = 0; i < keys.Count; i++)
        {
            Store.Answer(caller, keys[i], 200 + i, "application/json", Encoding.UTF8.GetBytes($"{{\"key\":\"{keys[i]}\"}}"));
        }
        var again = await Task.WhenAll(keys.Select(key => Store.ClaimAsync(caller, key, Hash(key))));

        Assert.All(first, Assert.Null);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(200 + i, again[i]!.StatusCode);
            Assert.Equal($"{{\"key\":\"{keys[i]}\"}}", Encoding.UTF8.GetString(again[i]!.ResponseBody!));
            Assert.Equal(Hash(keys[i]), again[i]!.RequestHash);
            Assert.Equal("application/json", again[i]!.ContentType);
        }
    }

    [Fact]
    public async Task ClaimAsync_WhenTheSameKeyIsClaimedByAnotherCaller_IsTheirsToo()
    {
        var (one, other) = (NewCaller(), NewCaller());

        var claims = await Task.WhenAll(Store.ClaimAsync(one, "shared", Hash("a")), Store.ClaimAsync(other, "shared", Hash("b")));

        Assert.All(claims, Assert.Null);
    }

    [Fact]
    public async Task ClaimAsync_AfterTheKeyWasReleased_GivesItAgain()
    {
        var caller = NewCaller();
        Assert.Null(await Store.ClaimAsync(caller, "failed", Hash("a")));

        Store.Release(caller, "failed");

        Assert.Null(await Store.ClaimAsync(caller, "failed", Hash("a")));
    }

    [Fact]
    public async Task StopAsync_WhenAnswersAreStillQueued_WritesThemBeforeItEnds()
    {
        var caller = NewCaller();
        var keys = Enumerable.Range(0, 300).Select(i => $"stop-{i}").ToList();
        var stopping = new IdempotencyStore(app.Db, TimeProvider.System, NullLogger<IdempotencyStore>.Instance);
        await stopping.StartAsync(default);
        await Task.WhenAll(keys.Select(key => stopping.ClaimAsync(caller, key, Hash(key))));

        keys.ForEach(key => stopping.Answer(caller, key, 201, "application/json", Encoding.UTF8.GetBytes(key)));
        await stopping.StopAsync(default);

        var again = await Task.WhenAll(keys.Select(key => Store.ClaimAsync(caller, key, Hash(key))));
        Assert.All(again, stored => Assert.Equal(201, stored!.StatusCode));
    }

    [Fact]
    public async Task Answer_WhenTheAnswerIsLargerThanABatchTakes_StoresItWhole()
    {
        var caller = NewCaller();
        var large = RandomNumberGenerator.GetBytes(600 * 1024);
        Assert.Null(await Store.ClaimAsync(caller, "large", Hash("a")));
        Assert.Null(await Store.ClaimAsync(caller, "small", Hash("b")));

        Store.Answer(caller, "small", 201, null, [1, 2, 3]);
        Store.Answer(caller, "large", 201, "application/octet-stream", large);

        Assert.Equal(large, (await Store.ClaimAsync(caller, "large", Hash("a")))!.ResponseBody);
        var small = (await Store.ClaimAsync(caller, "small", Hash("b")))!;
        Assert.Equal([1, 2, 3], small.ResponseBody);
        Assert.Null(small.ContentType);
    }
}
