-- Refresh tokens that were rotated away, kept for as long as a refresh token lives: a spent one presented again was
-- copied (RFC 9700: reuse is theft), so the session it belonged to is revoked, the thief's copy and the owner's alike.
CREATE TABLE spent_refresh_tokens (
    refresh_hash  BINARY(32)   NOT NULL,
    session_id    BIGINT       NOT NULL,
    spent_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (refresh_hash),
    INDEX ix_spent_refresh_tokens_spent (spent_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- What happened to a person's sessions that they did not do themselves, for them and the office to read.
CREATE TABLE auth_session_events (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    user_id     BIGINT       NOT NULL,
    session_id  BIGINT       NOT NULL,
    kind        VARCHAR(24)  NOT NULL,
    at          DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_auth_session_events_kind CHECK (kind IN ('RefreshReused')),
    INDEX ix_auth_session_events_user (user_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
