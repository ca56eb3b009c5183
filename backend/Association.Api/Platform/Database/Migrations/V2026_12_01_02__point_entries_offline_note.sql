-- An Offline award (work we hold no record of) carries the awarding admin's note; it has no source id, so the unique
-- key on (source_kind, source_id) never makes two of them collide.
ALTER TABLE point_entries ADD COLUMN note VARCHAR(200) NULL AFTER reason;
