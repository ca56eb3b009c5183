using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Audit;

/// <summary>What an audited sheet held.</summary>
[JsonConverter(typeof(EnumNames<ExportKind>))]
public enum ExportKind
{
    /// <summary>The member search as a sheet.</summary>
    MemberList,

    /// <summary>One member's points entries for a period.</summary>
    MemberStatement,

    /// <summary>The points entries of a unit's members for a period.</summary>
    UnitPoints,

    /// <summary>A grid's, village's or sub-district's member ranking of a quarter.</summary>
    MemberRanking,

    /// <summary>Grids or villages ranked for a quarter.</summary>
    UnitRanking,

    /// <summary>Members per household of a unit and the units beneath it.</summary>
    Coverage,

    /// <summary>The patrol records of a unit for a period.</summary>
    Patrols,

    /// <summary>The grid reports of a unit for a period, with their workflow.</summary>
    GridReports,

    /// <summary>A unit's figures over time.</summary>
    Figures,
}
