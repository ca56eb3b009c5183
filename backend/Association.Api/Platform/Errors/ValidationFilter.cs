using System.Reflection;

namespace Association.Api.Platform.Errors;

/// <summary>
/// Runs the rules of every <see cref="IValidatedRequest"/> argument, and of every parameter with a
/// <see cref="ParameterRuleAttribute"/>, before the handler, and answers a 400 naming each field at fault: nothing the
/// handler would write is touched. Endpoints without either pay nothing.
/// </summary>
public static class ValidationFilter
{
    private sealed record ValueRule(int Index, string Name, ParameterRuleAttribute Rule);

    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var parameters = context.MethodInfo.GetParameters().Select((parameter, index) => (parameter, index)).ToList();
            var bodies = parameters
                .Where(p => typeof(IValidatedRequest).IsAssignableFrom(p.parameter.ParameterType))
                .Select(p => p.index)
                .ToArray();
            var values = parameters
                .SelectMany(p => p.parameter.GetCustomAttributes<ParameterRuleAttribute>().Select(rule => new ValueRule(p.index, p.parameter.Name!, rule)))
                .ToArray();
            return bodies.Length == 0 && values.Length == 0 ? next : invocation => ValidateAsync(invocation, bodies, values, next);
        });
        return builder;
    }

    private static ValueTask<object?> ValidateAsync(EndpointFilterInvocationContext invocation, int[] bodies, ValueRule[] values, EndpointFilterDelegate next)
    {
        var rules = new RequestRules(invocation.HttpContext.RequestServices);
        foreach (var value in values)
        {
            value.Rule.Check(invocation.Arguments[value.Index], value.Name, rules);
        }
        foreach (var index in bodies)
        {
            if (invocation.Arguments[index] is IValidatedRequest request)
            {
                request.Validate(rules);
            }
        }
        return rules.Errors.Count == 0 ? next(invocation) : ValueTask.FromResult<object?>(Problems.Invalid(rules.Errors));
    }
}
