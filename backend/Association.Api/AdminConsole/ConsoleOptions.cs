namespace Association.Api.AdminConsole;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The console's built files (<c>npm run build</c> in backend/admin-console writes dist/); relative to the content root.</summary>
    public string? Root { get; set; }

    /// <summary>How long a sign-in ticket may wait for its scan; short, since a photographed code must be worthless soon.</summary>
    [System.ComponentModel.DataAnnotations.Range(5, 600)]
    public int TicketSeconds { get; set; } = 120;
}
