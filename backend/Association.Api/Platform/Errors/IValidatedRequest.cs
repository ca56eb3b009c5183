namespace Association.Api.Platform.Errors;

/// <summary>
/// A request body that states its own rules. <see cref="ValidationFilter"/> runs them before the handler, on every
/// endpoint; a handler keeps only the checks that need the database.
/// </summary>
public interface IValidatedRequest
{
    void Validate(RequestRules rules);
}
