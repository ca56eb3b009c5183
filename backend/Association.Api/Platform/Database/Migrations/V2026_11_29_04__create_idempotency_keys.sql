-- Responses of creates that a phone may retry, per caller and Idempotency-Key. status_code is NULL
-- while the first request is still running.
CREATE TABLE idempotency_keys (
    caller_id       BIGINT        NOT NULL,
    idem_key        VARCHAR(100)  NOT NULL,
    request_hash    BINARY(32)    NOT NULL,
    status_code     INT           NULL,
    content_type    VARCHAR(100)  NULL,
    response_body   MEDIUMBLOB    NULL,
    created_at      DATETIME(6)   NOT NULL,
    completed_at    DATETIME(6)   NULL,
    PRIMARY KEY (caller_id, idem_key),
    INDEX ix_idempotency_keys_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
