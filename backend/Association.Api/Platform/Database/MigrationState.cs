namespace Association.Api.Platform.Database;

/// <summary>Whether this instance has seen the schema brought up to date; read by the readiness check.</summary>
public sealed class MigrationState
{
    private volatile bool _current;

    public bool IsCurrent => _current;

    public void MarkCurrent() => _current = true;
}
