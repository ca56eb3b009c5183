-- A report is handled at a level: its grid, then, when raised, its village, then the sub-district ("小事不出村、
-- 大事不出街道"). The level it was resolved at is kept with the report, and when it was accepted and resolved, so
-- figures count them without reading the transitions.
ALTER TABLE grid_reports
    ADD COLUMN level           VARCHAR(12)  NOT NULL DEFAULT 'Grid',
    ADD COLUMN escalated_at    DATETIME(6)  NULL,
    ADD COLUMN accepted_at     DATETIME(6)  NULL,
    ADD COLUMN resolved_at     DATETIME(6)  NULL,
    ADD COLUMN resolved_level  VARCHAR(12)  NULL,
    ADD CONSTRAINT ck_grid_reports_level CHECK (level IN ('Grid', 'Village', 'SubDistrict')),
    ADD CONSTRAINT ck_grid_reports_resolved_level CHECK (resolved_level IS NULL OR resolved_level IN ('Grid', 'Village', 'SubDistrict')),
    ADD INDEX ix_grid_reports_created (created_at);

UPDATE grid_reports r
   SET r.accepted_at = (SELECT MIN(t.at) FROM grid_report_transitions t WHERE t.report_id = r.id AND t.to_status = 'Accepted'),
       r.resolved_at = (SELECT MIN(t.at) FROM grid_report_transitions t WHERE t.report_id = r.id AND t.to_status = 'Resolved');
UPDATE grid_reports SET resolved_level = 'Grid' WHERE resolved_at IS NOT NULL;

-- Each raise, by whom (NULL: the reminder job, for a report past its deadline) and why. A level is reached once.
CREATE TABLE grid_report_escalations (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    report_id   BIGINT        NOT NULL,
    from_level  VARCHAR(12)   NOT NULL,
    to_level    VARCHAR(12)   NOT NULL,
    reason      VARCHAR(200)  NOT NULL,
    by_user_id  BIGINT        NULL,
    at          DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_grid_report_escalations_level UNIQUE (report_id, to_level),
    CONSTRAINT fk_grid_report_escalations_report FOREIGN KEY (report_id) REFERENCES grid_reports (id),
    INDEX ix_grid_report_escalations_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
