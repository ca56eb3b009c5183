-- The in-app inbox (站内消息): one row per user and event, written in the transaction of the event it tells of.
-- event_key names the event ("patrol:12:Confirmed"), so a repeated write (a job run twice) adds nothing.
-- push_state follows the row's subscribe message: Pending until the push job looks at it, then None (no template for
-- the kind), NoCredit, Sending (claimed), Retry (WeChat busy), Sent, Refused (43101), Failed or Interrupted.
CREATE TABLE notifications (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    user_id         BIGINT        NOT NULL,
    kind            VARCHAR(32)   NOT NULL,
    event_key       VARCHAR(80)   NOT NULL,
    title           VARCHAR(40)   NOT NULL,
    body            VARCHAR(300)  NOT NULL,
    subject_path    VARCHAR(120)  NULL,
    created_at      DATETIME(6)   NOT NULL,
    read_at         DATETIME(6)   NULL,
    push_state      VARCHAR(12)   NOT NULL,
    push_attempts   INT           NOT NULL DEFAULT 0,
    push_next_at    DATETIME(6)   NULL,
    push_claimed_at DATETIME(6)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_notifications_event UNIQUE (user_id, event_key),
    CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT ck_notifications_push CHECK (push_state IN ('Pending', 'None', 'NoCredit', 'Sending', 'Retry', 'Sent', 'Refused', 'Failed', 'Interrupted')),
    INDEX ix_notifications_user_read (user_id, read_at, id),
    INDEX ix_notifications_push (push_state, push_next_at),
    INDEX ix_notifications_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One-time subscriptions: each "accept" in wx.requestSubscribeMessage lets us send one message with that template.
CREATE TABLE subscribe_credits (
    user_id      BIGINT       NOT NULL,
    template_id  VARCHAR(64)  NOT NULL,
    credits      INT          NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (user_id, template_id),
    CONSTRAINT fk_subscribe_credits_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT ck_subscribe_credits CHECK (credits >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every call to subscribeMessage.send and what WeChat answered, for support (rid) and for counting failures.
CREATE TABLE subscribe_sends (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    notification_id  BIGINT       NOT NULL,
    attempt          INT          NOT NULL,
    template_id      VARCHAR(64)  NOT NULL,
    outcome          VARCHAR(12)  NOT NULL,
    errcode          INT          NULL,
    rid              VARCHAR(64)  NULL,
    at               DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_subscribe_sends UNIQUE (notification_id, attempt),
    CONSTRAINT fk_subscribe_sends_notification FOREIGN KEY (notification_id) REFERENCES notifications (id) ON DELETE CASCADE,
    INDEX ix_subscribe_sends_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
