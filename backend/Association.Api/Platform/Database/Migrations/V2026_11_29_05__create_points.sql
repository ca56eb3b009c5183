-- The points rules of a sub-district, one row per version. A version applies from its date on and
-- is never edited: a change is a new version, so past awards keep the rule they were made under.
CREATE TABLE point_rules (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    sub_district_id  BIGINT       NOT NULL,
    work_kind        VARCHAR(32)  NOT NULL,
    version          INT          NOT NULL,
    points_per_unit  INT          NOT NULL,
    daily_cap        INT          NULL,
    quarterly_cap    INT          NULL,
    effective_from   DATE         NOT NULL,
    created_by       BIGINT       NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_point_rules_version UNIQUE (sub_district_id, work_kind, version),
    CONSTRAINT uq_point_rules_from UNIQUE (sub_district_id, work_kind, effective_from),
    CONSTRAINT fk_point_rules_unit FOREIGN KEY (sub_district_id) REFERENCES org_units (id),
    CONSTRAINT ck_point_rules_points CHECK (points_per_unit BETWEEN 0 AND 10000),
    CONSTRAINT ck_point_rules_caps CHECK ((daily_cap IS NULL OR daily_cap >= 0) AND (quarterly_cap IS NULL OR quarterly_cap >= 0))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The ledger: every award, adjustment and reversal is one row, never changed. A source (the patrol,
-- report, ... that earned points) is awarded at most once; an entry is reversed at most once.
CREATE TABLE point_entries (
    id                 BIGINT        NOT NULL AUTO_INCREMENT,
    member_id          BIGINT        NOT NULL,
    entry_kind         VARCHAR(16)   NOT NULL,
    points             INT           NOT NULL,
    requested_points   INT           NULL,
    rule_id            BIGINT        NULL,
    work_kind          VARCHAR(32)   NULL,
    work_day           DATE          NULL,
    source_kind        VARCHAR(32)   NULL,
    source_id          BIGINT        NULL,
    reverses_entry_id  BIGINT        NULL,
    quarter            CHAR(6)       NOT NULL,
    year               SMALLINT      NOT NULL,
    reason             VARCHAR(200)  NULL,
    caused_by          BIGINT        NULL,
    created_at         DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_point_entries_source UNIQUE (source_kind, source_id),
    CONSTRAINT uq_point_entries_reversal UNIQUE (reverses_entry_id),
    CONSTRAINT fk_point_entries_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_point_entries_rule FOREIGN KEY (rule_id) REFERENCES point_rules (id),
    CONSTRAINT fk_point_entries_reverses FOREIGN KEY (reverses_entry_id) REFERENCES point_entries (id),
    CONSTRAINT ck_point_entries_kind CHECK (entry_kind IN ('Award', 'Adjustment', 'Reversal')),
    CONSTRAINT ck_point_entries_points CHECK (points BETWEEN -100000 AND 100000),
    INDEX ix_point_entries_member (member_id, id),
    INDEX ix_point_entries_caps (member_id, work_kind, work_day),
    INDEX ix_point_entries_quarter (quarter, member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Running totals, written in the same transaction as each entry; the invariant check recomputes
-- them from the ledger. period is a quarter ('2026Q4') or a year ('2026').
CREATE TABLE member_point_totals (
    member_id   BIGINT       NOT NULL,
    balance     INT          NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (member_id),
    CONSTRAINT fk_member_point_totals_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE member_period_points (
    member_id  BIGINT      NOT NULL,
    period     VARCHAR(6)  NOT NULL,
    points     INT         NOT NULL,
    PRIMARY KEY (member_id, period),
    INDEX ix_member_period_points_period (period, points),
    CONSTRAINT fk_member_period_points_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Neither the ledger nor a rule version can be rewritten, by any database user.
CREATE TRIGGER point_entries_no_update BEFORE UPDATE ON point_entries
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'point_entries is append-only';

CREATE TRIGGER point_entries_no_delete BEFORE DELETE ON point_entries
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'point_entries is append-only';

CREATE TRIGGER point_rules_no_update BEFORE UPDATE ON point_rules
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'point_rules versions are never edited';

CREATE TRIGGER point_rules_no_delete BEFORE DELETE ON point_rules
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'point_rules versions are never deleted';
