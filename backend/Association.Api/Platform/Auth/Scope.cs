namespace Association.Api.Platform.Auth;

/// <summary>
/// The one scope mechanism: SQL predicates every feature puts into its own WHERE clause, so rows
/// outside the caller's part of the organisation tree are never read. They expect the caller's user
/// id as <c>@callerId</c> and the org unit being checked under the alias <c>target</c>; a unit's
/// subtree is every unit whose path starts with its path. Each predicate comes in parentheses, so it
/// can follow AND or OR directly.
/// </summary>
public static class Scope
{
    private const string AnyRoleOverTargetHeldBy = """
        EXISTS (SELECT 1 FROM role_assignments scope_role
                  JOIN org_units scope_unit ON scope_unit.id = scope_role.org_unit_id
                 WHERE target.path LIKE CONCAT(scope_unit.path, '%')
                   AND scope_role.user_id =
        """;

    /// <summary>The caller holds any role on <c>target</c> or on a unit above it (a grid leader sees their grid).</summary>
    public const string Sees = "(" + AnyRoleOverTargetHeldBy + " @callerId))";

    /// <summary>
    /// <see cref="Sees"/> in a query that checks many callers at once, one a row: the caller is the column
    /// <c>caller_id</c> of the row aliased <c>work</c>.
    /// </summary>
    public const string WorkCallerSees = "(" + AnyRoleOverTargetHeldBy + " work.caller_id))";

    /// <summary>
    /// <see cref="WorkCallerSees"/> for a second unit of the same row, aliased <c>source_unit</c>: the unit a piece of
    /// work was done in, which may differ from the grid the member belongs to now.
    /// </summary>
    public const string WorkCallerSeesSource = "(" + """
        EXISTS (SELECT 1 FROM role_assignments scope_role
                  JOIN org_units scope_unit ON scope_unit.id = scope_role.org_unit_id
                 WHERE source_unit.path LIKE CONCAT(scope_unit.path, '%')
                   AND scope_role.user_id = work.caller_id)
        """ + ")";

    /// <summary>The caller is an admin (village or sub-district) of a unit strictly above <c>target</c>.</summary>
    public const string AdministersBelow = "(" + """
        EXISTS (SELECT 1 FROM role_assignments scope_role
                  JOIN org_units scope_unit ON scope_unit.id = scope_role.org_unit_id
                 WHERE scope_role.user_id = @callerId
                   AND scope_role.role IN ('VillageAdmin', 'SubDistrictAdmin')
                   AND target.path LIKE CONCAT(scope_unit.path, '%')
                   AND target.id <> scope_unit.id)
        """ + ")";

    /// <summary>The caller is an admin of <c>target</c> itself or of a unit above it (may add units beneath it).</summary>
    public const string Administers = "(" + """
        EXISTS (SELECT 1 FROM role_assignments scope_role
                  JOIN org_units scope_unit ON scope_unit.id = scope_role.org_unit_id
                 WHERE scope_role.user_id = @callerId
                   AND scope_role.role IN ('VillageAdmin', 'SubDistrictAdmin')
                   AND target.path LIKE CONCAT(scope_unit.path, '%'))
        """ + ")";

    /// <summary>The caller is SubDistrictAdmin of the sub-district holding <c>target</c> (full personal data, exports).</summary>
    public const string SubDistrictAdminOf = "(" + """
        EXISTS (SELECT 1 FROM role_assignments scope_role
                  JOIN org_units scope_unit ON scope_unit.id = scope_role.org_unit_id
                 WHERE scope_role.user_id = @callerId
                   AND scope_role.role = 'SubDistrictAdmin'
                   AND target.path LIKE CONCAT(scope_unit.path, '%'))
        """ + ")";

    private const string MembersBeneathTarget = """
        SELECT mine.id FROM members mine JOIN org_units mine_grid ON mine_grid.id = mine.grid_id
         WHERE mine.user_id = @callerId AND mine.status = 'Active' AND mine_grid.path LIKE CONCAT(target.path, '%')
        """;

    /// <summary>The caller is an active member of a grid in <c>target</c>'s subtree (reads the unit's events, its catalogue).</summary>
    public const string MemberBeneath = "(EXISTS (" + MembersBeneathTarget + "))";

    /// <summary>The id of the caller's membership under <c>target</c>, as a column; NULL when there is none.</summary>
    public const string MemberIdBeneath = "(" + MembersBeneathTarget + ")";
}
