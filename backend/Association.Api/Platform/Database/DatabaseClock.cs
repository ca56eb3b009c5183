namespace Association.Api.Platform.Database;

public static class DatabaseClock
{
    /// <summary>UTC now at DATETIME(6) precision, so a value written and read back compares equal.</summary>
    public static DateTime DbUtcNow(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }
}
