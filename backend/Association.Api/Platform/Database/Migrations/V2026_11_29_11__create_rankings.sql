-- Quarterly rankings. Each computation writes a new run; the quarter then points at it in one
-- UPDATE, so readers never see a half-written ranking. A final quarter never changes again.
CREATE TABLE ranking_quarters (
    quarter       CHAR(6)      NOT NULL,
    status        VARCHAR(12)  NOT NULL,
    current_run   BIGINT       NOT NULL,
    computed_at   DATETIME(6)  NOT NULL,
    finalised_at  DATETIME(6)  NULL,
    PRIMARY KEY (quarter),
    CONSTRAINT ck_ranking_quarters_status CHECK (status IN ('Provisional', 'Final'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE ranking_runs (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    quarter     CHAR(6)      NOT NULL,
    started_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_ranking_runs_quarter (quarter)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per member and scope of a run. position orders ties by member id (stable and documented).
CREATE TABLE member_rankings (
    run_id      BIGINT       NOT NULL,
    scope_kind  VARCHAR(12)  NOT NULL,
    scope_id    BIGINT       NOT NULL,
    member_id   BIGINT       NOT NULL,
    points      INT          NOT NULL,
    rank_no     INT          NOT NULL,
    position    INT          NOT NULL,
    PRIMARY KEY (run_id, scope_kind, scope_id, member_id),
    INDEX ix_member_rankings_position (run_id, scope_kind, scope_id, position),
    INDEX ix_member_rankings_member (member_id, run_id),
    CONSTRAINT ck_member_rankings_scope CHECK (scope_kind IN ('Grid', 'Village', 'SubDistrict'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
