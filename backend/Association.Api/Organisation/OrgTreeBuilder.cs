namespace Association.Api.Organisation;

public sealed record OrgTreeRow(long Id, long? ParentId, OrgUnitKind Kind, string Code, string Name, int? Households);

/// <summary>Turns rows ordered by path (parents before children) into nested nodes with households added up.</summary>
public static class OrgTreeBuilder
{
    public static IReadOnlyList<OrgTreeNode> Build(IReadOnlyList<OrgTreeRow> rows)
    {
        var children = rows.Where(r => r.ParentId is not null).ToLookup(r => r.ParentId!.Value);
        var ids = rows.Select(r => r.Id).ToHashSet();
        // Roots are the rows whose parent is outside the rows: the district, or the unit asked for.
        return rows.Where(r => r.ParentId is null || !ids.Contains(r.ParentId.Value))
            .Select(r => Node(r, children))
            .ToList();
    }

    private static OrgTreeNode Node(OrgTreeRow row, ILookup<long, OrgTreeRow> children)
    {
        var below = children[row.Id].OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => Node(c, children)).ToList();
        var households = row.Kind == OrgUnitKind.Grid ? row.Households ?? 0 : below.Sum(c => c.Households);
        return new OrgTreeNode(row.Id, row.Kind, row.Code, row.Name, households, below);
    }
}
