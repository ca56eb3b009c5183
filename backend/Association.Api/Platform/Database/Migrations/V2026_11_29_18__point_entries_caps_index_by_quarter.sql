-- Every ledger entry wrote an index that no query reads: (quarter, member_id) was never used (quarter totals come from
-- member_period_points). The caps index gains the quarter, so "earned this quarter under this rule" reads only that
-- quarter's entries of the member instead of all their entries of that kind.
ALTER TABLE point_entries
    DROP INDEX ix_point_entries_quarter,
    DROP INDEX ix_point_entries_caps,
    ADD INDEX ix_point_entries_caps (member_id, work_kind, quarter, work_day);
