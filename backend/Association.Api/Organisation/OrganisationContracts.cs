using System.Text.Json.Serialization;
using Association.Api.Platform;
using Association.Api.Platform.Errors;

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
public sealed record CreateOrgUnitRequest(long ParentId, string Code, string Name, int? Households) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        rules.Range(ParentId, "parentId", 1, long.MaxValue, "org.unit.notFound");
        rules.Check(Code is not null && OrganisationAdminApi.CodePattern().IsMatch(Code), "code", "org.unit.code");
        rules.Text(Name, "name", 1, 100);
        rules.Check(Households is null or >= 0 and <= OrganisationAdminApi.MaxHouseholds, "households", "validation.number.range", 0, OrganisationAdminApi.MaxHouseholds);
    }
}

/// <summary>Fields left out stay as they are.</summary>
public sealed record UpdateOrgUnitRequest(string? Name, int? Households) : IValidatedRequest
{
    public void Validate(RequestRules rules)
    {
        if (Name is not null)
        {
            rules.Text(Name, "name", 1, 100);
        }
        rules.Check(Households is null or >= 0 and <= OrganisationAdminApi.MaxHouseholds, "households", "validation.number.range", 0, OrganisationAdminApi.MaxHouseholds);
    }
}

public sealed record ImportResult(int Updated);
