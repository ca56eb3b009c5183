using System.Security.Cryptography;
using Association.Api.Platform.Auth;
using Association.Api.Platform.Database;
using Association.Api.Platform.Errors;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Association.Api.Photos;

/// <summary>
/// Photos uploaded by the mini-program (wx.uploadFile). The type is read from the bytes, not the name;
/// files are stored outside the database and served to their owner, to leaders and admins of the owner's grid, and
/// to whoever may see a record that refers to them.
/// </summary>
public static class PhotosApi
{
    public static RouteGroupBuilder MapPhotosApi(this RouteGroupBuilder api)
    {

        // Bearer tokens, not cookies, authenticate this API, so there is no cross-site form to guard against.
        api.MapPost("", UploadPhoto)
            .WithSummary("Upload a JPEG, PNG or WebP photo (multipart field 'file'); answers its id for photoRef fields")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(21 * 1024 * 1024))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/{id}", GetPhoto)
            .WithSummary("A photo, to its owner, the leaders of their grid, and whoever may see a report or check-in it belongs to")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg", additionalContentTypes: ["image/png", "image/webp"])
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private const string OwnerGrid = "SELECT grid_id FROM members WHERE user_id = @callerId AND status IN ('Active', 'Suspended')";

    private const string Insert = """
        INSERT INTO photos (id, owner_user_id, grid_id, content_type, size_bytes, created_at)
        VALUES (@id, @callerId, @gridId, @contentType, @size, @now)
        """;

    // The owner; leaders and admins of the owner's grid; and whoever may see a record that references the photo: a
    // report (its reporter, its assignee, leaders and admins of its grid: a resident reporter has no grid of their own)
    // or a patrol check-in (the patrol's members, leaders and admins of its grid). Records only reference photos their
    // author uploaded (PhotoRefs), so a report is looked up among its owner's and a check-in by its photo.
    private const string Visible = """
        SELECT p.content_type FROM photos p LEFT JOIN org_units target ON target.id = p.grid_id
         WHERE p.id = @id AND (p.owner_user_id = @callerId
            OR (target.id IS NOT NULL AND
        """ + Scope.Sees + """
               )
            OR EXISTS (SELECT 1 FROM grid_reports r JOIN org_units target ON target.id = r.grid_id
                        WHERE r.reporter_user_id = p.owner_user_id AND FIND_IN_SET(p.id, r.photo_refs) > 0
                          AND (EXISTS (SELECT 1 FROM members am WHERE am.id = r.assigned_member_id AND am.user_id = @callerId) OR
        """ + Scope.Sees + """
                          ))
            OR EXISTS (SELECT 1 FROM patrol_checkins c JOIN patrols pa ON pa.id = c.patrol_id JOIN org_units target ON target.id = pa.grid_id
                        WHERE c.photo_ref = p.id
                          AND (EXISTS (SELECT 1 FROM patrol_members pm JOIN members pmm ON pmm.id = pm.member_id
                                        WHERE pm.patrol_id = pa.id AND pmm.user_id = @callerId) OR
        """ + Scope.Sees + """
                          ))
            OR EXISTS (SELECT 1 FROM campaign_photos cp JOIN campaign_applications ca ON ca.id = cp.application_id
                         JOIN org_units target ON target.id = ca.lead_unit_id
                        WHERE cp.photo_id = p.id AND
        """ + Scope.Sees + """
                          ))
        """;

    public static async Task<Results<Created<PhotoUploaded>, ValidationProblem, ProblemHttpResult>> UploadPhoto(
        IFormFile? file, HttpContext http, MySqlDataSource db, IOptions<PhotoOptions> options, IWebHostEnvironment host, TimeProvider time, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.Invalid("file", "photos.file.missing");
        }
        if (file.Length > options.Value.MaxBytes)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "photos.file.tooLarge", options.Value.MaxBytes / 1024 / 1024);
        }
        byte[] bytes;
        await using (var stream = file.OpenReadStream())
        {
            using var buffer = new MemoryStream((int)file.Length);
            await stream.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
        }
        if (ImageType.Detect(bytes) is not { } contentType)
        {
            return Problems.Invalid("file", "photos.file.type");
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var callerId = http.User.UserId();
        var folder = Path.GetFullPath(options.Value.Root, host.ContentRootPath);
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, id), bytes, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var gridId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(OwnerGrid, new { callerId }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(Insert,
            new { id, callerId, gridId, contentType, size = bytes.Length, now = time.DbUtcNow() }, cancellationToken: ct));
        return TypedResults.Created($"/api/photos/{id}", new PhotoUploaded(id, contentType, bytes.Length));
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetPhoto(
        string id, HttpContext http, MySqlDataSource db, IOptions<PhotoOptions> options, IWebHostEnvironment host, CancellationToken ct)
    {
        // The id also names the file, so anything but 32 hex digits is refused before it nears the disk.
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return Problems.NotFound("photos.photo.notFound");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var contentType = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Visible, new { id, callerId = http.User.UserId() }, cancellationToken: ct));
        var path = Path.Combine(Path.GetFullPath(options.Value.Root, host.ContentRootPath), id);
        if (contentType is null || !File.Exists(path))
        {
            return Problems.NotFound("photos.photo.notFound");
        }
        http.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.PhysicalFile(path, contentType);
    }
}

public static class ImageType
{
    /// <summary>The MIME type from the file's magic bytes, or null when it is none of JPEG, PNG, WebP.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return "image/jpeg";
        }
        if (bytes.Length >= 8 && bytes[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return "image/png";
        }
        return bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp" : null;
    }
}
