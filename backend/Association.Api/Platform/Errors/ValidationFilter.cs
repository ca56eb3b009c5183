using System.Reflection;

namespace Association.Api.Platform.Errors;

/// <summary>
/// Runs the rules of every <see cref="IValidatedRequest"/> argument before the handler, and answers a 400 naming each
/// field at fault: nothing the handler would write is touched. Endpoints without such an argument pay nothing.
/// </summary>
public static class ValidationFilter
{
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var validated = context.MethodInfo.GetParameters()
                .Select((parameter, index) => (parameter, index))
                .Where(p => typeof(IValidatedRequest).IsAssignableFrom(p.parameter.ParameterType))
                .Select(p => p.index)
                .ToArray();
            return validated.Length == 0 ? next : invocation => ValidateAsync(invocation, validated, next);
        });
        return builder;
    }

    private static ValueTask<object?> ValidateAsync(EndpointFilterInvocationContext invocation, int[] indexes, EndpointFilterDelegate next)
    {
        var rules = new RequestRules(invocation.HttpContext.RequestServices);
        foreach (var index in indexes)
        {
            if (invocation.Arguments[index] is IValidatedRequest request)
            {
                request.Validate(rules);
            }
        }
        return rules.Errors.Count == 0 ? next(invocation) : ValueTask.FromResult<object?>(Problems.Invalid(rules.Errors));
    }
}
