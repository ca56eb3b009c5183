namespace Association.Api.Platform.Errors;

/// <summary>
/// The rules a request states about its fields, each failing with a field and a code. The helpers cover the shapes
/// most fields have; <see cref="Check"/> takes any other condition. <see cref="Services"/> answers what a rule needs
/// from configuration or the clock.
/// </summary>
public sealed class RequestRules(IServiceProvider services, string prefix = "", List<FieldError>? shared = null)
{
    private readonly List<FieldError> _errors = shared ?? [];

    public IServiceProvider Services { get; } = services;

    public IReadOnlyList<FieldError> Errors => _errors;

    public DateOnly Today => Services.GetRequiredService<TimeProvider>().Today();

    public DateTimeOffset Now => Services.GetRequiredService<TimeProvider>().GetUtcNow();

    public T Options<T>() where T : class => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<T>>().Value;

    /// <summary>Rules for a part of the request (an item of a list, say), whose fields are named under <paramref name="path"/>.</summary>
    public RequestRules Nested(string path) => new(Services, prefix + path, _errors);

    public bool Fail(string field, string code, params object[] args)
    {
        _errors.Add(new FieldError(prefix + field, code, args));
        return false;
    }

    public bool Check(bool valid, string field, string code, params object[] args) => valid || Fail(field, code, args);

    /// <summary>Required text of <paramref name="min"/> to <paramref name="max"/> characters once trimmed.</summary>
    public bool Text(string? value, string field, int min, int max, string? code = null) =>
        string.IsNullOrWhiteSpace(value) ? Fail(field, code ?? "validation.required", min, max)
        : Check(value.Trim().Length >= min && value.Trim().Length <= max, field, code ?? "validation.text.length", min, max);

    /// <summary>Text that may be left out, and when given is at most <paramref name="max"/> characters.</summary>
    public bool OptionalText(string? value, string field, int max) =>
        Check(value is null || value.Length <= max, field, "validation.text.tooLong", max);

    /// <summary>A reason a person will read: 2 to 200 characters once trimmed.</summary>
    public bool Reason(string? value, string field = "reason", string code = "validation.reason") => Text(value, field, 2, 200, code);

    public bool Range(long? value, string field, long min, long max, string? code = null) =>
        value is null ? Fail(field, "validation.required")
        : Check(value >= min && value <= max, field, code ?? "validation.number.range", min, max);

    public bool Defined<TEnum>(TEnum? value, string field) where TEnum : struct, Enum =>
        value is null ? Fail(field, "validation.required") : Check(Enum.IsDefined(value.Value), field, "validation.enum.unknown");

    /// <summary>A point given whole or not at all: latitude −90..90 and longitude −180..180.</summary>
    public bool Position(decimal? lat, decimal? lng, string field = "lat", bool required = false) =>
        (lat is null && lng is null && !required)
        || Check(lat is >= -90 and <= 90 && lng is >= -180 and <= 180, field, "validation.position");

    /// <summary>A moment a phone logged offline: late by up to <paramref name="maxAge"/>, never in the future.</summary>
    public bool Recent(DateTimeOffset? at, string field, TimeSpan maxAge, string code) =>
        at is null || Check(at <= Now.AddMinutes(2) && at >= Now - maxAge, field, code);
}
