-- Organisers cancel an event with a reason; the to-do of ended events still waiting for attendance reads them by
-- status and end. A catalogue item's stock moves by deliveries and corrections, each kept with its reason.
ALTER TABLE events
    ADD COLUMN cancelled_by BIGINT NULL,
    ADD COLUMN cancelled_at DATETIME(6) NULL,
    ADD COLUMN cancel_reason VARCHAR(200) NULL,
    ADD INDEX ix_events_status_end (status, ends_at);

CREATE TABLE reward_stock_changes (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    item_id      BIGINT        NOT NULL,
    change_by    INT           NOT NULL,
    stock_after  INT           NOT NULL,
    reason       VARCHAR(200)  NOT NULL,
    changed_by   BIGINT        NOT NULL,
    changed_at   DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_reward_stock_changes_item FOREIGN KEY (item_id) REFERENCES reward_items (id),
    INDEX ix_reward_stock_changes_item (item_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
