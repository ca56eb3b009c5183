using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Organisation;

/// <summary>Levels of the organisation tree, top to bottom (DOMAIN.md, Places).</summary>
[JsonConverter(typeof(EnumNames<OrgUnitKind>))]
public enum OrgUnitKind
{
    District,
    SubDistrict,
    Village,
    Grid,
}

/// <summary>One unit. <c>Households</c> is the grid's own count, or the sum over the grids beneath.</summary>
public sealed record OrgUnit(long Id, long? ParentId, OrgUnitKind Kind, string Code, string Name, long Households, long ChildCount);

public sealed record OrgTreeNode(long Id, OrgUnitKind Kind, string Code, string Name, int Households, IReadOnlyList<OrgTreeNode> Children);

/// <summary>A new unit under <c>ParentId</c>; its kind is the level below the parent's. Households only for grids.</summary>
public sealed record CreateOrgUnitRequest(long ParentId, string Code, string Name, int? Households);

/// <summary>Fields left out stay as they are.</summary>
public sealed record UpdateOrgUnitRequest(string? Name, int? Households);

public sealed record ImportResult(int Updated);
