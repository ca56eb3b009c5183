-- A grid's area for patrol plausibility: a centre and a radius, set by admins.
CREATE TABLE grid_areas (
    grid_id     BIGINT         NOT NULL,
    centre_lat  DECIMAL(9, 6)  NOT NULL,
    centre_lng  DECIMAL(9, 6)  NOT NULL,
    radius_m    INT            NOT NULL,
    set_by      BIGINT         NOT NULL,
    set_at      DATETIME(6)    NOT NULL,
    PRIMARY KEY (grid_id),
    CONSTRAINT fk_grid_areas_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_grid_areas_radius CHECK (radius_m BETWEEN 10 AND 50000)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Patrols (巡防). flags lists the plausibility checks a finished patrol failed, for the grid leader.
CREATE TABLE patrols (
    id               BIGINT         NOT NULL AUTO_INCREMENT,
    grid_id          BIGINT         NOT NULL,
    started_by       BIGINT         NOT NULL,
    status           VARCHAR(16)    NOT NULL,
    started_at       DATETIME(6)    NOT NULL,
    finished_at      DATETIME(6)    NULL,
    flags            VARCHAR(200)   NULL,
    decided_by       BIGINT         NULL,
    decided_at       DATETIME(6)    NULL,
    decision_reason  VARCHAR(200)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_patrols_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_patrols_status CHECK (status IN ('InProgress', 'Finished', 'Confirmed', 'Rejected')),
    INDEX ix_patrols_grid_started (grid_id, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Who patrolled. The row id is the source of each participant's award, so each earns once per patrol.
-- in_progress_marker is 1 while the patrol runs: a member is on at most one running patrol.
CREATE TABLE patrol_members (
    id                  BIGINT   NOT NULL AUTO_INCREMENT,
    patrol_id           BIGINT   NOT NULL,
    member_id           BIGINT   NOT NULL,
    in_progress_marker  TINYINT  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_patrol_members UNIQUE (patrol_id, member_id),
    CONSTRAINT uq_patrol_members_running UNIQUE (member_id, in_progress_marker),
    CONSTRAINT fk_patrol_members_patrol FOREIGN KEY (patrol_id) REFERENCES patrols (id),
    CONSTRAINT fk_patrol_members_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The track: start, check-ins and end. Personal data: shown to the participants and to leaders and admins in scope.
CREATE TABLE patrol_checkins (
    id         BIGINT         NOT NULL AUTO_INCREMENT,
    patrol_id  BIGINT         NOT NULL,
    member_id  BIGINT         NOT NULL,
    kind       VARCHAR(8)     NOT NULL,
    at         DATETIME(6)    NOT NULL,
    lat        DECIMAL(9, 6)  NOT NULL,
    lng        DECIMAL(9, 6)  NOT NULL,
    photo_ref  VARCHAR(200)   NULL,
    note       VARCHAR(200)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_patrol_checkins_patrol FOREIGN KEY (patrol_id) REFERENCES patrols (id),
    CONSTRAINT ck_patrol_checkins_kind CHECK (kind IN ('Start', 'CheckIn', 'End')),
    CONSTRAINT ck_patrol_checkins_position CHECK (lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180),
    INDEX ix_patrol_checkins_patrol (patrol_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
