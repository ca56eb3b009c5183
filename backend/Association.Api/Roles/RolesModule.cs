namespace Association.Api.Roles;

/// <summary>Grid leaders and admins, assigned on units beneath the assigner's own.</summary>
public static class RolesModule
{
    public static void MapRoles(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/org/units/{unitId}/roles").WithTags("Roles").RequireAuthorization().MapRolesApi();
    }
}
