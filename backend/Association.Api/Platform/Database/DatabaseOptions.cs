using System.ComponentModel.DataAnnotations;

namespace Association.Api.Platform.Database;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Production may turn this off and run the <c>migrate</c> command from its deployment instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
