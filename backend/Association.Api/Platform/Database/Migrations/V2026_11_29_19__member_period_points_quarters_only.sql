-- Period totals keep one row per member and quarter. A year's total is the sum of its four quarter rows, read where it is
-- needed (statements, yearly awards). Every award wrote a year row beside its quarter row: half of the period upsert,
-- which was the third-costliest statement of a batch of awards.
DELETE FROM member_period_points WHERE period NOT LIKE '____Q_';

ALTER TABLE member_period_points
    ADD CONSTRAINT ck_member_period_points_quarter CHECK (period LIKE '____Q_');
