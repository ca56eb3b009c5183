-- Quarterly work plans (季度工作安排) of a unit, their items, and the quarter-end review (定期总结): the author's text
-- beside figures the system counted when the review was written. Events may be held for an item of a plan.
CREATE TABLE work_plans (
    id                 BIGINT         NOT NULL AUTO_INCREMENT,
    unit_id            BIGINT         NOT NULL,
    quarter            CHAR(6)        NOT NULL,
    title              VARCHAR(100)   NOT NULL,
    goals              VARCHAR(2000)  NULL,
    status             VARCHAR(12)    NOT NULL,
    created_by         BIGINT         NOT NULL,
    created_at         DATETIME(6)    NOT NULL,
    updated_at         DATETIME(6)    NOT NULL,
    published_by       BIGINT         NULL,
    published_at       DATETIME(6)    NULL,
    review_text        VARCHAR(4000)  NULL,
    review_figures     VARCHAR(2000)  NULL,
    reviewed_by        BIGINT         NULL,
    reviewed_at        DATETIME(6)    NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_work_plans_unit_quarter UNIQUE (unit_id, quarter),
    CONSTRAINT fk_work_plans_unit FOREIGN KEY (unit_id) REFERENCES org_units (id),
    CONSTRAINT ck_work_plans_status CHECK (status IN ('Draft', 'Published')),
    CONSTRAINT ck_work_plans_published CHECK ((status = 'Published') = (published_at IS NOT NULL)),
    CONSTRAINT ck_work_plans_reviewed CHECK ((review_text IS NULL) = (reviewed_at IS NULL)),
    INDEX ix_work_plans_quarter (quarter, unit_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE work_plan_items (
    id           BIGINT         NOT NULL AUTO_INCREMENT,
    plan_id      BIGINT         NOT NULL,
    title        VARCHAR(100)   NOT NULL,
    description  VARCHAR(1000)  NULL,
    owner        VARCHAR(50)    NOT NULL,
    due_on       DATE           NOT NULL,
    status       VARCHAR(12)    NOT NULL,
    updated_by   BIGINT         NOT NULL,
    updated_at   DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_work_plan_items_plan FOREIGN KEY (plan_id) REFERENCES work_plans (id),
    CONSTRAINT ck_work_plan_items_status CHECK (status IN ('Planned', 'InProgress', 'Done', 'Cancelled')),
    INDEX ix_work_plan_items_plan (plan_id, due_on)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

ALTER TABLE events
    ADD COLUMN plan_item_id BIGINT NULL,
    ADD CONSTRAINT fk_events_plan_item FOREIGN KEY (plan_item_id) REFERENCES work_plan_items (id);
