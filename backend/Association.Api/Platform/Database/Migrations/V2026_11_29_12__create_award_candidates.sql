-- Yearly award criteria (评先评优标准) of a sub-district: top N or top x% per grid or village, a minimum of
-- yearly points, and no suspension during the year.
CREATE TABLE award_rules (
    sub_district_id  BIGINT       NOT NULL,
    year             SMALLINT     NOT NULL,
    scope_kind       VARCHAR(12)  NOT NULL,
    mode             VARCHAR(12)  NOT NULL,
    mode_value       INT          NOT NULL,
    minimum_points   INT          NOT NULL,
    set_by           BIGINT       NOT NULL,
    set_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (sub_district_id, year),
    CONSTRAINT fk_award_rules_unit FOREIGN KEY (sub_district_id) REFERENCES org_units (id),
    CONSTRAINT ck_award_rules_scope CHECK (scope_kind IN ('Grid', 'Village')),
    CONSTRAINT ck_award_rules_mode CHECK ((mode = 'TopN' AND mode_value BETWEEN 1 AND 1000) OR (mode = 'TopPercent' AND mode_value BETWEEN 1 AND 100)),
    CONSTRAINT ck_award_rules_minimum CHECK (minimum_points >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The awarded list an admin confirmed from the candidates.
CREATE TABLE award_confirmations (
    year          SMALLINT     NOT NULL,
    member_id     BIGINT       NOT NULL,
    scope_kind    VARCHAR(12)  NOT NULL,
    scope_id      BIGINT       NOT NULL,
    points        INT          NOT NULL,
    confirmed_by  BIGINT       NOT NULL,
    confirmed_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (year, member_id),
    CONSTRAINT fk_award_confirmations_member FOREIGN KEY (member_id) REFERENCES members (id),
    INDEX ix_award_confirmations_scope (year, scope_kind, scope_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
