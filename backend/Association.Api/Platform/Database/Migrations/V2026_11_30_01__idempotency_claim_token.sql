-- Claims are written in batches, several in one statement: a claim knows the key is its own when the row carries
-- the token it wrote, and another claim of the same key (in the same batch or before it) finds someone else's.
ALTER TABLE idempotency_keys ADD COLUMN claim_token BINARY(16) NULL AFTER request_hash;
