-- Points redemption (积分兑换): a sub-district's catalogue and the members' redemptions. A redemption debits the balance
-- by a Redemption entry in the transaction that takes the item from stock; a cancellation before hand-over credits it
-- back by a Refund entry. Neither counts in a quarter's earned points, which rankings use.
ALTER TABLE point_entries
    DROP CONSTRAINT ck_point_entries_kind,
    ADD CONSTRAINT ck_point_entries_kind CHECK (entry_kind IN ('Award', 'Adjustment', 'Reversal', 'Redemption', 'Refund'));

CREATE TABLE reward_items (
    id               BIGINT        NOT NULL AUTO_INCREMENT,
    sub_district_id  BIGINT        NOT NULL,
    name             VARCHAR(60)   NOT NULL,
    description      VARCHAR(500)  NULL,
    picture_url      VARCHAR(300)  NULL,
    points           INT           NOT NULL,
    stock            INT           NOT NULL,
    per_member_limit INT           NULL,
    limit_period     VARCHAR(8)    NOT NULL,
    available_from   DATE          NULL,
    available_until  DATE          NULL,
    created_by       BIGINT        NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_reward_items_unit FOREIGN KEY (sub_district_id) REFERENCES org_units (id),
    CONSTRAINT ck_reward_items_numbers CHECK (points >= 1 AND stock >= 0 AND (per_member_limit IS NULL OR per_member_limit >= 1)),
    CONSTRAINT ck_reward_items_period CHECK (limit_period IN ('Month', 'Quarter', 'Year')),
    INDEX ix_reward_items_unit (sub_district_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE redemptions (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    item_id         BIGINT       NOT NULL,
    member_id       BIGINT       NOT NULL,
    points          INT          NOT NULL,
    status          VARCHAR(12)  NOT NULL,
    entry_id        BIGINT       NOT NULL,
    refund_entry_id BIGINT       NULL,
    created_at      DATETIME(6)  NOT NULL,
    decided_by      BIGINT       NULL,
    decided_at      DATETIME(6)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_redemptions_item FOREIGN KEY (item_id) REFERENCES reward_items (id),
    CONSTRAINT fk_redemptions_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_redemptions_entry FOREIGN KEY (entry_id) REFERENCES point_entries (id),
    CONSTRAINT ck_redemptions_status CHECK (status IN ('Pending', 'Fulfilled', 'Cancelled')),
    INDEX ix_redemptions_member_item (member_id, item_id, created_at),
    INDEX ix_redemptions_item (item_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
