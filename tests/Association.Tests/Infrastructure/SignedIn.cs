using System.Net.Http.Headers;
using System.Net.Http.Json;
using Association.Api.Auth;
using Association.Api.Platform.Database;
using Association.Api.Roles;
using Dapper;

namespace Association.Tests.Infrastructure;

/// <summary>A person signed in through the real sign-in endpoint (WeChat simulator behind it).</summary>
public sealed record SignedIn(long UserId, string OpenId, SessionResponse Session, HttpClient Client);

public static class SignInExtensions
{
    /// <summary>Signs <paramref name="user"/> in with a fresh wx.login code; the same name is always the same WeChat user.</summary>
    public static async Task<SignedIn> SignInAsync(this AssociationApp app, string user)
    {
        var anonymous = app.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest($"{user}#{Guid.NewGuid():N}"));
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return new SignedIn(session.UserId, app.WeChat.State.OpenIdFor(user), session, client);
    }

    /// <summary>Arranges a role directly in the database (the roles API has tests of its own), then signs in again.</summary>
    public static async Task<SignedIn> SignInWithRoleAsync(this AssociationApp app, string user, Role role, string unitCode)
    {
        var first = await app.SignInAsync(user);
        await using var connection = await app.Db.OpenConnectionAsync();
        if (role == Role.SubDistrictAdmin)
        {
            await FirstAdmin.GrantAsync(app.Db, first.OpenId, unitCode, app.Clock);
        }
        else
        {
            await connection.ExecuteAsync("""
                INSERT INTO role_assignments (user_id, role, org_unit_id, assigned_by, assigned_at)
                SELECT @userId, @role, id, NULL, @now FROM org_units WHERE code = @unitCode
                """, new { userId = first.UserId, role = role.ToString(), unitCode, now = app.Clock.DbUtcNow() });
        }
        return await app.SignInAsync(user);
    }

    public static async Task<long> UnitIdAsync(this AssociationApp app, string code)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM org_units WHERE code = @code", new { code });
    }
}

public static class PhotoUploads
{
    /// <summary>The first bytes of a PNG: what the upload checks the type by.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    /// <summary>Uploads a PNG as <paramref name="person"/>; answers the id that photoRef fields take.</summary>
    public static async Task<string> UploadPhotoAsync(this SignedIn person)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Png), "file", "photo.png" } };
        var response = await person.Client.PostAsync("/api/photos", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Association.Api.Photos.PhotoUploaded>())!.Id;
    }
}
