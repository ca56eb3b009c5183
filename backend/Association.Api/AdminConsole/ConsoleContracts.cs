using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;
using Association.Api.Roles;

namespace Association.Api.AdminConsole;

/// <param name="Ticket">What the QR code holds; the mini-program sends it back to confirm.</param>
/// <param name="QrContent">The QR code's text: a link to the mini-program's confirm page with the ticket.</param>
/// <param name="PollMilliseconds">How often the console asks whether the ticket was confirmed.</param>
public sealed record LoginTicketView(string Ticket, string QrContent, DateTime ExpiresAt, int PollMilliseconds);

public sealed record TicketRequest(string? Ticket) : IValidatedRequest
{
    public void Validate(RequestRules rules) => rules.Check(Ticket is { Length: > 3 and <= 64 } && Ticket.StartsWith("lt_", StringComparison.Ordinal),
        "ticket", "console.ticket.notFound");
}

[JsonConverter(typeof(EnumNames<TicketState>))]
public enum TicketState
{
    Waiting,
    SignedIn,
}

/// <param name="CsrfToken">Sent back in the X-CSRF-Token header with every write of the console.</param>
public sealed record ExchangeView(TicketState State, DateTime ExpiresAt, long? UserId, string? CsrfToken);

public sealed record ConsoleRole(Role Role, long UnitId, string UnitName);

/// <summary>Who is signed in to the console, with the CSRF token of this session and the roles that decide its pages.</summary>
public sealed record ConsoleSessionView(long UserId, DateTime ExpiresAt, string CsrfToken, IReadOnlyList<ConsoleRole> Roles);

/// <summary>What the mini-program shows after confirming: the console is signed in as the caller.</summary>
public sealed record ConfirmedView(DateTime ConfirmedAt);
