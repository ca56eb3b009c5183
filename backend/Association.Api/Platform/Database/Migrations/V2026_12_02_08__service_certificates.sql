-- Service certificates (志愿服务证明): the figures of a member's service in a period, frozen when issued, under an
-- unguessable serial that the public verification reads (not the PDF). Revocation keeps the row and says so.
CREATE TABLE service_certificates (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    serial          CHAR(16)      NOT NULL,
    member_id       BIGINT        NOT NULL,
    grid_id         BIGINT        NOT NULL,
    period_from     DATE          NOT NULL,
    period_until    DATE          NOT NULL,
    minutes         INT           NOT NULL,
    events_attended INT           NOT NULL,
    patrols         INT           NOT NULL,
    points_earned   INT           NOT NULL,
    awards          VARCHAR(4000) NOT NULL,
    issued_by       BIGINT        NOT NULL,
    issued_at       DATETIME(6)   NOT NULL,
    revoked_by      BIGINT        NULL,
    revoked_at      DATETIME(6)   NULL,
    revoke_reason   VARCHAR(200)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_service_certificates_serial UNIQUE (serial),
    CONSTRAINT fk_service_certificates_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_service_certificates_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_service_certificates_period CHECK (period_from <= period_until),
    CONSTRAINT ck_service_certificates_revoked CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    INDEX ix_service_certificates_member (member_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every download by someone other than the holder: the audit a SubDistrictAdmin reads.
CREATE TABLE certificate_downloads (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    certificate_id  BIGINT       NOT NULL,
    by_user_id      BIGINT       NOT NULL,
    at              DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_certificate_downloads_certificate FOREIGN KEY (certificate_id) REFERENCES service_certificates (id),
    INDEX ix_certificate_downloads_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
