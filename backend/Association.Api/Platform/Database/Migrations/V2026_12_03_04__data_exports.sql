-- Every sheet exported from the office's data: what, of which unit (and member, for a statement), for what
-- period or quarter, how many rows, by whom and when. Append-only; read through the audit by the sub-district.
CREATE TABLE data_exports (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    kind          VARCHAR(24)   NOT NULL,
    unit_id       BIGINT        NOT NULL,
    member_id     BIGINT        NULL,
    parameters    VARCHAR(100)  NOT NULL,
    rows_written  INT           NOT NULL,
    by_user_id    BIGINT        NOT NULL,
    at            DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_data_exports_unit FOREIGN KEY (unit_id) REFERENCES org_units (id),
    CONSTRAINT ck_data_exports_kind CHECK (kind IN ('MemberList', 'MemberStatement', 'UnitPoints', 'MemberRanking', 'UnitRanking',
                                                   'Coverage', 'Patrols', 'GridReports', 'Figures')),
    INDEX ix_data_exports_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
