using Association.Api.Platform.Errors;

namespace Association.Api.Roles;

public sealed record AssignRoleRequest(long UserId, Role Role) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(UserId, "userId", 1, long.MaxValue, "roles.user.notFound");
        rules.Defined<Role>(Role, "role");
    }
}

public sealed record RoleAssignment(long UserId, Role Role, long OrgUnitId, string OrgUnitName, long? AssignedBy, DateTime AssignedAt);
