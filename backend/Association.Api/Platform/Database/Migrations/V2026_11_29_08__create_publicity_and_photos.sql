-- Publicity work (宣传): an event held, or an article sent to 平安天心V or other media. Points when published.
CREATE TABLE publicity_works (
    id           BIGINT         NOT NULL AUTO_INCREMENT,
    member_id    BIGINT         NOT NULL,
    grid_id      BIGINT         NOT NULL,
    kind         VARCHAR(8)     NOT NULL,
    title        VARCHAR(100)   NOT NULL,
    outlet       VARCHAR(100)   NULL,
    link         VARCHAR(300)   NULL,
    happened_on  DATE           NOT NULL,
    description  VARCHAR(1000)  NULL,
    status       VARCHAR(12)    NOT NULL,
    decided_by   BIGINT         NULL,
    decided_at   DATETIME(6)    NULL,
    reason       VARCHAR(200)   NULL,
    created_at   DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_publicity_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_publicity_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_publicity_kind CHECK (kind IN ('Event', 'Article')),
    CONSTRAINT ck_publicity_status CHECK (status IN ('Submitted', 'Published', 'Rejected')),
    INDEX ix_publicity_grid_status (grid_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Uploaded photos: the bytes live in a folder outside the database; this row says whose they are.
CREATE TABLE photos (
    id             CHAR(32)      NOT NULL,
    owner_user_id  BIGINT        NOT NULL,
    grid_id        BIGINT        NULL,
    content_type   VARCHAR(16)   NOT NULL,
    size_bytes     INT           NOT NULL,
    created_at     DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_photos_owner FOREIGN KEY (owner_user_id) REFERENCES users (id),
    INDEX ix_photos_owner (owner_user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
