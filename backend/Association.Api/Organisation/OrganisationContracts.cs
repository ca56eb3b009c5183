using System.Text.Json.Serialization;

namespace Association.Api.Organisation;

/// <summary>Levels of the organisation tree, top to bottom (DOMAIN.md, Places).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrgUnitKind>))]
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
