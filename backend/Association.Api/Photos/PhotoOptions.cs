using System.ComponentModel.DataAnnotations;

namespace Association.Api.Photos;

public sealed class PhotoOptions
{
    public const string Section = "Photos";

    /// <summary>Folder for the photo files; relative paths are under the content root.</summary>
    [Required]
    public string Root { get; set; } = "data/photos";

    [Range(1024, 20 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;
}
