using System.Net;
using System.Net.Http.Json;
using Association.Api.Photos;
using Association.Api.Roles;
using Association.Tests.Infrastructure;

namespace Association.Tests.Photos;

/// <summary>Runs on real Kestrel, so the request size limits are the ones production has.</summary>
public sealed class PhotosApiTests : IClassFixture<PhotosApiTests.App>
{
    public sealed class App : DemoApp
    {
        public App() => UseKestrel(0);

        protected override void StartHost() => StartServer();
    }

    private readonly App _app;

    public PhotosApiTests(App app) => _app = app;

    private Task<SignedIn> LeaderAsync() => _app.GridLeaderAsync("TX-DTP-DT-03");

    private static readonly byte[] Png = PhotoUploads.Png;

    private static MultipartFormDataContent Upload(byte[] bytes, string name = "photo.png") =>
        new() { { new ByteArrayContent(bytes), "file", name } };

    [Fact]
    public async Task UploadPhoto_WhenPngFromAMember_IsServedToOwnerAndGridLeaderOnly()
    {
        var (person, _) = await _app.NewMemberAsync("TX-DTP-DT-03");
        var stranger = await _app.SignInAsync("stranger-" + Guid.NewGuid().ToString("N")[..6]);

        var response = await person.Client.PostAsync("/api/photos", Upload(Png));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var photo = (await response.Content.ReadFromJsonAsync<PhotoUploaded>())!;
        Assert.Equal("image/png", photo.ContentType);
        var own = await person.Client.GetAsync($"/api/photos/{photo.Id}");
        Assert.Equal(Png, await own.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await (await LeaderAsync()).Client.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
        await (await stranger.Client.GetAsync($"/api/photos/{photo.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await person.Client.GetAsync("/api/photos/..%2F..%2Fetc%2Fpasswd")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UploadPhoto_WhenNamedJpgButNotAnImage_Returns400()
    {
        var person = await _app.SignInAsync("uploader-" + Guid.NewGuid().ToString("N")[..6]);

        var response = await person.Client.PostAsync("/api/photos", Upload("<?php echo 1; ?>"u8.ToArray(), "photo.jpg"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _));
    }

    [Fact]
    public async Task UploadPhoto_WhenThreeMegabyteJpeg_IsAcceptedAboveTheJsonBodyLimit()
    {
        var person = await _app.SignInAsync("big-" + Guid.NewGuid().ToString("N")[..6]);
        var jpeg = new byte[3 * 1024 * 1024];
        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        jpeg[2] = 0xFF;

        var response = await person.Client.PostAsync("/api/photos", Upload(jpeg, "big.jpg"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task UploadPhoto_WhenOverTheLimit_Returns413()
    {
        var person = await _app.SignInAsync("huge-" + Guid.NewGuid().ToString("N")[..6]);
        var jpeg = new byte[6 * 1024 * 1024];
        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        jpeg[2] = 0xFF;

        var response = await person.Client.PostAsync("/api/photos", Upload(jpeg, "huge.jpg"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}
