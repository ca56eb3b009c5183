-- Grid reports (网格化管理信息): hazards, disputes, information, and residents' four "不" problems.
-- Held reports wait for a person because WeChat's content check said "review" or could not be made.
CREATE TABLE grid_reports (
    id                     BIGINT          NOT NULL AUTO_INCREMENT,
    grid_id                BIGINT          NOT NULL,
    reporter_user_id       BIGINT          NOT NULL,
    reporter_member_id     BIGINT          NULL,
    kind                   VARCHAR(24)     NOT NULL,
    description            VARCHAR(1000)   NOT NULL,
    location_text          VARCHAR(200)    NULL,
    lat                    DECIMAL(9, 6)   NULL,
    lng                    DECIMAL(9, 6)   NULL,
    photo_refs             VARCHAR(400)    NULL,
    urgency                VARCHAR(8)      NOT NULL,
    status                 VARCHAR(12)     NOT NULL,
    content_check          VARCHAR(12)     NOT NULL,
    deadline_at            DATETIME(6)     NOT NULL,
    assigned_member_id     BIGINT          NULL,
    created_at             DATETIME(6)     NOT NULL,
    updated_at             DATETIME(6)     NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_grid_reports_grid FOREIGN KEY (grid_id) REFERENCES org_units (id),
    CONSTRAINT ck_grid_reports_kind CHECK (kind IN ('SafetyHazard', 'Dispute', 'InformationCollected', 'Unsafe', 'Uncivil', 'Unhealthy', 'Inconvenient')),
    CONSTRAINT ck_grid_reports_urgency CHECK (urgency IN ('Low', 'Normal', 'High', 'Urgent')),
    CONSTRAINT ck_grid_reports_status CHECK (status IN ('Held', 'Submitted', 'Accepted', 'Rejected', 'Assigned', 'Resolved', 'Closed')),
    INDEX ix_grid_reports_grid_status (grid_id, status, deadline_at),
    INDEX ix_grid_reports_reporter (reporter_user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every move through the workflow: who, when, from what to what, and their note.
CREATE TABLE grid_report_transitions (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    report_id    BIGINT        NOT NULL,
    from_status  VARCHAR(12)   NULL,
    to_status    VARCHAR(12)   NOT NULL,
    by_user_id   BIGINT        NOT NULL,
    note         VARCHAR(200)  NULL,
    at           DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_grid_report_transitions_report FOREIGN KEY (report_id) REFERENCES grid_reports (id),
    INDEX ix_grid_report_transitions_report (report_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
