namespace Association.Api.AdminConsole;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The console's built files (<c>npm run build</c> in backend/admin-console writes dist/); relative to the content root.</summary>
    public string? Root { get; set; }
}
