-- A batch of awards answers each key by the entry it made or found (result_ref), written in the same statement as the
-- entries, instead of the answer's bytes in a round trip of its own: a retry renders that entry as the first answer did.
ALTER TABLE idempotency_keys ADD COLUMN result_ref BIGINT NULL AFTER content_type;
