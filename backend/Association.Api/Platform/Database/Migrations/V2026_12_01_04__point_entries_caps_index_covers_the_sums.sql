-- Every rule has caps now, so every award sums what the member earned that day and that quarter under the kind. With
-- the entry kind and the points in the index, both sums read the index alone instead of each entry's row.
ALTER TABLE point_entries
    DROP INDEX ix_point_entries_caps,
    ADD INDEX ix_point_entries_caps (member_id, work_kind, quarter, work_day, entry_kind, points);
