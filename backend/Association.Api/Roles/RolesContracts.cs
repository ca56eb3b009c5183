
namespace Association.Api.Roles;

public sealed record AssignRoleRequest(long UserId, Role Role);

public sealed record RoleAssignment(long UserId, Role Role, long OrgUnitId, string OrgUnitName, long? AssignedBy, DateTime AssignedAt);
