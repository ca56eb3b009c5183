-- Weights of the composite unit score, per sub-district and year, in percent; they add up to 100.
CREATE TABLE unit_ranking_weights (
    sub_district_id  BIGINT       NOT NULL,
    year             SMALLINT     NOT NULL,
    measure          VARCHAR(32)  NOT NULL,
    weight           INT          NOT NULL,
    set_by           BIGINT       NOT NULL,
    set_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (sub_district_id, year, measure),
    CONSTRAINT fk_unit_ranking_weights_unit FOREIGN KEY (sub_district_id) REFERENCES org_units (id),
    CONSTRAINT ck_unit_ranking_weights_weight CHECK (weight BETWEEN 0 AND 100)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A run's unit rankings: each measure and the composite, per peer group (grids of a village, grids of a sub-district,
-- villages of a sub-district), with the value, its score against the best of the group, the weight used and the rank.
-- Written by the run that ranks members, so a final quarter's unit ranking is frozen with it.
CREATE TABLE unit_rank_entries (
    run_id      BIGINT         NOT NULL,
    peer_scope  VARCHAR(12)    NOT NULL,
    peer_id     BIGINT         NOT NULL,
    unit_kind   VARCHAR(12)    NOT NULL,
    measure     VARCHAR(32)    NOT NULL,
    unit_id     BIGINT         NOT NULL,
    value       DECIMAL(14, 4) NOT NULL,
    score       DECIMAL(7, 3)  NOT NULL,
    weight      INT            NOT NULL,
    rank_no     INT            NOT NULL,
    PRIMARY KEY (run_id, peer_scope, peer_id, unit_kind, measure, unit_id),
    CONSTRAINT ck_unit_rank_entries_scope CHECK (peer_scope IN ('Village', 'SubDistrict')),
    CONSTRAINT ck_unit_rank_entries_kind CHECK (unit_kind IN ('Grid', 'Village'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
