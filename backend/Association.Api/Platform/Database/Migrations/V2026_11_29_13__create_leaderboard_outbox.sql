-- Points changes waiting to reach the Redis leaderboards, written in the same transaction as the
-- ledger entry, so no award is ever missing from Redis for longer than the publisher's next pass.
CREATE TABLE leaderboard_outbox (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    member_id   BIGINT       NOT NULL,
    quarter     CHAR(6)      NOT NULL,
    points      INT          NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_leaderboard_outbox_quarter (quarter, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
