-- A run's rank rows are written in the order rankings are read (scope, then position), so the ranking job
-- appends to the clustered index instead of inserting at random member ids, and keeps one index fewer.
-- (run, scope, member) stays unique by construction: ROW_NUMBER gives each member one position per scope.
ALTER TABLE member_rankings
    DROP PRIMARY KEY,
    DROP INDEX ix_member_rankings_position,
    ADD PRIMARY KEY (run_id, scope_kind, scope_id, position);
