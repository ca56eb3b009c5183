-- Applications to join. Names are searchable text; ID numbers and phones are AES-GCM ciphertext with
-- the id of the key that wrote them, plus a display mask. Duplicates are found by keyed HMAC.
-- open_marker is 1 while the application is pending and NULL after, so the unique key allows one
-- open application per person and any number of closed ones.
CREATE TABLE membership_applications (
    id                      BIGINT        NOT NULL AUTO_INCREMENT,
    user_id                 BIGINT        NOT NULL,
    grid_id                 BIGINT        NOT NULL,
    real_name               VARCHAR(50)   NULL,
    phone_cipher            VARBINARY(96) NULL,
    phone_key_id            VARCHAR(32)   NULL,
    phone_masked            VARCHAR(16)   NULL,
    id_number_cipher        VARBINARY(96) NULL,
    id_number_key_id        VARCHAR(32)   NULL,
    id_number_masked        VARCHAR(24)   NULL,
    id_number_hmac          BINARY(32)    NULL,
    address                 VARCHAR(200)  NULL,
    volunteer_roles         VARCHAR(120)  NOT NULL,
    privacy_notice_version  VARCHAR(20)   NOT NULL,
    consented_at            DATETIME(6)   NOT NULL,
    notify_on_decision      BOOL          NOT NULL,
    status                  VARCHAR(16)   NOT NULL,
    open_marker             TINYINT       NULL,
    decided_by              BIGINT        NULL,
    decided_at              DATETIME(6)   NULL,
    decision_reason         VARCHAR(200)  NULL,
    created_at              DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_applications_open UNIQUE (user_id, open_marker),
    CONSTRAINT fk_applications_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_applications_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_applications_status CHECK (status IN ('Pending', 'Approved', 'Rejected', 'Withdrawn')),
    CONSTRAINT ck_applications_open CHECK ((status = 'Pending') = (open_marker IS NOT NULL)),
    INDEX ix_applications_grid_status (grid_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Members. application_id is unique: one application never makes two members; id_number_hmac is
-- unique: one membership per ID number (NULL once erased, which frees nothing else).
CREATE TABLE members (
    id                   BIGINT        NOT NULL AUTO_INCREMENT,
    user_id              BIGINT        NULL,
    application_id       BIGINT        NOT NULL,
    member_number        VARCHAR(20)   NULL,
    grid_id              BIGINT        NOT NULL,
    real_name            VARCHAR(50)   NULL,
    phone_cipher         VARBINARY(96) NULL,
    phone_key_id         VARCHAR(32)   NULL,
    phone_masked         VARCHAR(16)   NULL,
    id_number_cipher     VARBINARY(96) NULL,
    id_number_key_id     VARCHAR(32)   NULL,
    id_number_masked     VARCHAR(24)   NULL,
    id_number_hmac       BINARY(32)    NULL,
    address              VARCHAR(200)  NULL,
    volunteer_roles      VARCHAR(120)  NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    joined_on            DATE          NOT NULL,
    joined_at            DATETIME(6)   NOT NULL,
    armband_issued_on    DATE          NULL,
    armband_issued_by    BIGINT        NULL,
    approved_by          BIGINT        NOT NULL,
    erased_at            DATETIME(6)   NULL,
    updated_at           DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_members_application UNIQUE (application_id),
    CONSTRAINT uq_members_number UNIQUE (member_number),
    CONSTRAINT uq_members_id_number UNIQUE (id_number_hmac),
    CONSTRAINT uq_members_user UNIQUE (user_id),
    CONSTRAINT fk_members_application FOREIGN KEY (application_id) REFERENCES membership_applications (id),
    CONSTRAINT fk_members_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_members_status CHECK (status IN ('Active', 'Suspended', 'Left', 'Erased')),
    INDEX ix_members_grid_status (grid_id, status),
    INDEX ix_members_name (real_name),
    INDEX ix_members_joined (joined_on)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Everything that happened to a member, including moves between grids.
CREATE TABLE member_events (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    member_id     BIGINT        NOT NULL,
    kind          VARCHAR(20)   NOT NULL,
    from_grid_id  BIGINT        NULL,
    to_grid_id    BIGINT        NULL,
    reason        VARCHAR(200)  NULL,
    by_user_id    BIGINT        NULL,
    at            DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_member_events_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT ck_member_events_kind CHECK (kind IN ('Joined', 'ArmbandIssued', 'Suspended', 'Reinstated', 'Left', 'Moved', 'Erased')),
    INDEX ix_member_events_member (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Yearly recruitment target of a sub-district, village or grid.
CREATE TABLE recruitment_targets (
    org_unit_id  BIGINT       NOT NULL,
    year         SMALLINT     NOT NULL,
    target       INT          NOT NULL,
    set_by       BIGINT       NOT NULL,
    set_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (org_unit_id, year),
    CONSTRAINT fk_recruitment_targets_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id),
    CONSTRAINT ck_recruitment_targets_target CHECK (target BETWEEN 0 AND 1000000)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The coverage target of a sub-district in per mille of households (200 = the source's 20%).
CREATE TABLE coverage_targets (
    sub_district_id  BIGINT       NOT NULL,
    target_permille  INT          NOT NULL,
    set_by           BIGINT       NOT NULL,
    set_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (sub_district_id),
    CONSTRAINT fk_coverage_targets_unit FOREIGN KEY (sub_district_id) REFERENCES org_units (id),
    CONSTRAINT ck_coverage_targets_permille CHECK (target_permille BETWEEN 1 AND 1000)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every reveal of a full ID number or phone, and every refused try. Append-only: the triggers below
-- refuse UPDATE and DELETE for every database user, the application's included.
CREATE TABLE personal_data_reveals (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    member_id   BIGINT        NOT NULL,
    field       VARCHAR(16)   NOT NULL,
    purpose     VARCHAR(200)  NULL,
    by_user_id  BIGINT        NOT NULL,
    outcome     VARCHAR(16)   NOT NULL,
    at          DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_reveals_outcome CHECK (outcome IN ('Revealed', 'Refused')),
    INDEX ix_reveals_member (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TRIGGER personal_data_reveals_no_update BEFORE UPDATE ON personal_data_reveals
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'personal_data_reveals is append-only';

CREATE TRIGGER personal_data_reveals_no_delete BEFORE DELETE ON personal_data_reveals
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'personal_data_reveals is append-only';
