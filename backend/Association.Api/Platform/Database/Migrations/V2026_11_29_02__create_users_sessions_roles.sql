-- People who signed in with WeChat. The openid identifies them; the session key (a WeChat secret
-- used to decrypt user data) is kept encrypted with a key id, so keys can rotate.
CREATE TABLE users (
    id                   BIGINT        NOT NULL AUTO_INCREMENT,
    openid               VARCHAR(64)   NOT NULL,
    unionid              VARCHAR(64)   NULL,
    session_key_cipher   VARBINARY(96) NULL,
    session_key_key_id   VARCHAR(32)   NULL,
    status               VARCHAR(16)   NOT NULL,
    created_at           DATETIME(6)   NOT NULL,
    last_sign_in_at      DATETIME(6)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_openid UNIQUE (openid),
    CONSTRAINT ck_users_status CHECK (status IN ('Active', 'Removed'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Our own sign-in sessions. Only SHA-256 hashes of the tokens are stored, so a database leak
-- yields no usable token. Renewal rotates both tokens in place; revocation stamps revoked_at.
CREATE TABLE auth_sessions (
    id                  BIGINT       NOT NULL AUTO_INCREMENT,
    user_id             BIGINT       NOT NULL,
    access_hash         BINARY(32)   NOT NULL,
    refresh_hash        BINARY(32)   NOT NULL,
    access_expires_at   DATETIME(6)  NOT NULL,
    refresh_expires_at  DATETIME(6)  NOT NULL,
    created_at          DATETIME(6)  NOT NULL,
    renewed_at          DATETIME(6)  NULL,
    revoked_at          DATETIME(6)  NULL,
    revoked_reason      VARCHAR(32)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_auth_sessions_access UNIQUE (access_hash),
    CONSTRAINT uq_auth_sessions_refresh UNIQUE (refresh_hash),
    CONSTRAINT fk_auth_sessions_user FOREIGN KEY (user_id) REFERENCES users (id),
    INDEX ix_auth_sessions_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Who holds which role on which unit. A role always belongs to a unit of its level.
CREATE TABLE role_assignments (
    user_id      BIGINT       NOT NULL,
    role         VARCHAR(24)  NOT NULL,
    org_unit_id  BIGINT       NOT NULL,
    assigned_by  BIGINT       NULL,
    assigned_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (user_id, role, org_unit_id),
    CONSTRAINT fk_role_assignments_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_role_assignments_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id),
    CONSTRAINT ck_role_assignments_role CHECK (role IN ('GridLeader', 'VillageAdmin', 'SubDistrictAdmin')),
    INDEX ix_role_assignments_unit (org_unit_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every grant and withdrawal, kept for audit. changed_by is NULL for the bootstrap command.
CREATE TABLE role_changes (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    user_id      BIGINT       NOT NULL,
    role         VARCHAR(24)  NOT NULL,
    org_unit_id  BIGINT       NOT NULL,
    change_kind  VARCHAR(16)  NOT NULL,
    changed_by   BIGINT       NULL,
    changed_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_role_changes_kind CHECK (change_kind IN ('Assigned', 'Revoked')),
    INDEX ix_role_changes_unit (org_unit_id),
    INDEX ix_role_changes_user (user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
