using System.Text.Json.Serialization;
using Association.Api.Organisation;
using Association.Api.Platform;

namespace Association.Api.Roles;

/// <summary>Roles held on a unit of the organisation tree. Member and Resident are about the person, not a unit.</summary>
[JsonConverter(typeof(EnumNames<Role>))]
public enum Role
{
    GridLeader,
    VillageAdmin,
    SubDistrictAdmin,

    /// <summary>The district's office (区平安建设领导小组办公室): the campaign's standards, quotas, joint review and plaques.</summary>
    DistrictAdmin,
}

public static class RoleRules
{
    /// <summary>The level of unit each role belongs to.</summary>
    public static OrgUnitKind UnitKind(this Role role) => role switch
    {
        Role.GridLeader => OrgUnitKind.Grid,
        Role.VillageAdmin => OrgUnitKind.Village,
        Role.SubDistrictAdmin => OrgUnitKind.SubDistrict,
        Role.DistrictAdmin => OrgUnitKind.District,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Parses exactly a role's name: no numbers, no case games.</summary>
    public static bool TryParse(string value, out Role role) =>
        Enum.TryParse(value, ignoreCase: false, out role) && Enum.IsDefined(role) && !char.IsAsciiDigit(value.FirstOrDefault());
}
