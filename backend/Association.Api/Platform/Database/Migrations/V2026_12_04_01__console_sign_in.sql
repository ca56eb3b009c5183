-- Sign-in to the office's web console by scanning (扫码登录): the console shows a one-time ticket as a QR code, a
-- member of staff confirms it with the mini-program, and the browser that asked for it (and only that browser, by the
-- secret in its cookie) exchanges it once for a console session in auth_sessions. Only hashes of both are kept.
CREATE TABLE console_login_tickets (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    ticket_hash      BINARY(32)   NOT NULL,
    browser_hash     BINARY(32)   NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    expires_at       DATETIME(6)  NOT NULL,
    confirmed_by     BIGINT       NULL,
    confirmed_at     DATETIME(6)  NULL,
    exchanged_at     DATETIME(6)  NULL,
    session_id       BIGINT       NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_console_login_tickets_ticket UNIQUE (ticket_hash),
    CONSTRAINT fk_console_login_tickets_user FOREIGN KEY (confirmed_by) REFERENCES users (id),
    INDEX ix_console_login_tickets_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
