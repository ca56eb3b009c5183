-- One outbox row per transaction and quarter, holding every member's change as [[member_id, points], ...]:
-- a batch of awards writes one row instead of one per member, and the publisher claims and deletes that many
-- fewer. Pending rows are carried over as one-change lists.
ALTER TABLE leaderboard_outbox ADD COLUMN changes JSON NULL AFTER quarter;
UPDATE leaderboard_outbox SET changes = JSON_ARRAY(JSON_ARRAY(member_id, points));
ALTER TABLE leaderboard_outbox MODIFY changes JSON NOT NULL, DROP COLUMN member_id, DROP COLUMN points;
