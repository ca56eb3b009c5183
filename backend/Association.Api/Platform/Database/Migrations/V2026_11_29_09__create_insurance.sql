-- Public-security insurance (治安保险): policies bought by a unit and the members each covers.
CREATE TABLE insurance_policies (
    id                        BIGINT        NOT NULL AUTO_INCREMENT,
    insurer                   VARCHAR(100)  NOT NULL,
    policy_number             VARCHAR(64)   NOT NULL,
    unit_id                   BIGINT        NOT NULL,
    coverage_start            DATE          NOT NULL,
    coverage_end              DATE          NOT NULL,
    premium_per_person_cents  INT           NOT NULL,
    created_by                BIGINT        NOT NULL,
    created_at                DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_insurance_policies_number UNIQUE (insurer, policy_number),
    CONSTRAINT fk_insurance_policies_unit FOREIGN KEY (unit_id) REFERENCES org_units (id),
    CONSTRAINT ck_insurance_policies_dates CHECK (coverage_end >= coverage_start),
    CONSTRAINT ck_insurance_policies_premium CHECK (premium_per_person_cents >= 0),
    INDEX ix_insurance_policies_end (coverage_end)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Members covered by a policy: at purchase, or later by endorsement (from covered_from on).
CREATE TABLE insurance_coverages (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    policy_id     BIGINT        NOT NULL,
    member_id     BIGINT        NOT NULL,
    kind          VARCHAR(12)   NOT NULL,
    covered_from  DATE          NOT NULL,
    added_by      BIGINT        NOT NULL,
    added_at      DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_insurance_coverages UNIQUE (policy_id, member_id),
    CONSTRAINT fk_insurance_coverages_policy FOREIGN KEY (policy_id) REFERENCES insurance_policies (id),
    CONSTRAINT fk_insurance_coverages_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT ck_insurance_coverages_kind CHECK (kind IN ('Purchase', 'Endorsement')),
    INDEX ix_insurance_coverages_member (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A member's separate consent to share their full name and ID number with the insurer.
ALTER TABLE members
    ADD COLUMN insurer_sharing_consent BOOL NOT NULL DEFAULT FALSE,
    ADD COLUMN insurer_sharing_consented_at DATETIME(6) NULL;

-- Every roster export, append-only.
CREATE TABLE insurance_exports (
    id                BIGINT       NOT NULL AUTO_INCREMENT,
    policy_id         BIGINT       NOT NULL,
    by_user_id        BIGINT       NOT NULL,
    members_included  INT          NOT NULL,
    members_excluded  INT          NOT NULL,
    at                DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_insurance_exports_policy (policy_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TRIGGER insurance_exports_no_update BEFORE UPDATE ON insurance_exports
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'insurance_exports is append-only';

CREATE TRIGGER insurance_exports_no_delete BEFORE DELETE ON insurance_exports
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'insurance_exports is append-only';

-- Notices for the admins of a unit, one per kind, subject and day: a job that runs twice adds nothing.
CREATE TABLE admin_notices (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    unit_id      BIGINT        NOT NULL,
    kind         VARCHAR(32)   NOT NULL,
    subject_id   BIGINT        NOT NULL,
    notice_day   DATE          NOT NULL,
    message      VARCHAR(300)  NOT NULL,
    created_at   DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_admin_notices UNIQUE (kind, subject_id, notice_day),
    CONSTRAINT fk_admin_notices_unit FOREIGN KEY (unit_id) REFERENCES org_units (id),
    INDEX ix_admin_notices_unit_day (unit_id, notice_day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
