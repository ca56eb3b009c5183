using Microsoft.AspNetCore.Mvc;

namespace Association.Api.Platform.Errors;

/// <summary>
/// The few outcomes that are raised deep inside a unit of work rather than returned by a handler
/// (a row vanished between two statements, a rule forbids the change). Each maps to one status.
/// </summary>
public abstract class DomainException(string message) : Exception(message)
{
    protected abstract int Status { get; }

    protected abstract string Title { get; }

    public ProblemDetails ToProblemDetails() => new() { Status = Status, Title = Title, Detail = Message };
}

public sealed class NotFoundException(string message) : DomainException(message)
{
    protected override int Status => StatusCodes.Status404NotFound;

    protected override string Title => "Not found";
}

public sealed class ConflictException(string message) : DomainException(message)
{
    protected override int Status => StatusCodes.Status409Conflict;

    protected override string Title => "Conflict";
}

public sealed class ForbiddenException(string message) : DomainException(message)
{
    protected override int Status => StatusCodes.Status403Forbidden;

    protected override string Title => "Forbidden";
}
