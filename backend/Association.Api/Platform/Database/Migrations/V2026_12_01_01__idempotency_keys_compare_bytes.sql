-- An Idempotency-Key is the phone's bytes: 'ABC' and 'abc' are two keys, as RFC 9110 header values compare.
ALTER TABLE idempotency_keys MODIFY idem_key VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
