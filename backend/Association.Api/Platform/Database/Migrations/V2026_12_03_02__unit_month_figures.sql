-- Figures per unit and China month, rolled up by the figures job from the base tables, so a chart of a sub-district's
-- year reads a few hundred rows instead of scanning the ledger. Work done in a grid is on the grid's row; events are
-- on the row of the unit that held them; a unit's figure is the sum over its subtree. Stocks (members, insured) are
-- as at the month's last day.
CREATE TABLE unit_month_figures (
    unit_id                    BIGINT       NOT NULL,
    month                      DATE         NOT NULL,
    members_joined             INT          NOT NULL DEFAULT 0,
    members_suspended          INT          NOT NULL DEFAULT 0,
    members_left               INT          NOT NULL DEFAULT 0,
    members_at_end             INT          NOT NULL DEFAULT 0,
    active_members             INT          NOT NULL DEFAULT 0,
    points_earned              INT          NOT NULL DEFAULT 0,
    patrols                    INT          NOT NULL DEFAULT 0,
    patrols_confirmed          INT          NOT NULL DEFAULT 0,
    patrol_minutes             INT          NOT NULL DEFAULT 0,
    reports                    INT          NOT NULL DEFAULT 0,
    reports_accepted           INT          NOT NULL DEFAULT 0,
    reports_resolved           INT          NOT NULL DEFAULT 0,
    reports_resolved_on_time   INT          NOT NULL DEFAULT 0,
    reports_overdue            INT          NOT NULL DEFAULT 0,
    resolved_at_grid           INT          NOT NULL DEFAULT 0,
    resolved_at_village        INT          NOT NULL DEFAULT 0,
    resolved_at_sub_district   INT          NOT NULL DEFAULT 0,
    disputes_resolved          INT          NOT NULL DEFAULT 0,
    disputes_settled_locally   INT          NOT NULL DEFAULT 0,
    publicity_published        INT          NOT NULL DEFAULT 0,
    insured_at_end             INT          NOT NULL DEFAULT 0,
    members_covered            INT          NOT NULL DEFAULT 0,
    days_to_cover              INT          NOT NULL DEFAULT 0,
    events_held                INT          NOT NULL DEFAULT 0,
    attendances                INT          NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, month),
    INDEX ix_unit_month_figures_month (month),
    CONSTRAINT fk_unit_month_figures_unit FOREIGN KEY (unit_id) REFERENCES org_units (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Reports made in the month by kind and by the state they are in now.
CREATE TABLE unit_month_report_counts (
    unit_id  BIGINT       NOT NULL,
    month    DATE         NOT NULL,
    kind     VARCHAR(24)  NOT NULL,
    status   VARCHAR(12)  NOT NULL,
    reports  INT          NOT NULL,
    PRIMARY KEY (unit_id, month, kind, status),
    INDEX ix_unit_month_report_counts_month (month)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- How many reports took how many whole hours to be accepted, or resolved, in the month: medians over any set of units
-- and months merge these counts instead of reading the reports.
CREATE TABLE unit_month_report_hours (
    unit_id  BIGINT      NOT NULL,
    month    DATE        NOT NULL,
    measure  VARCHAR(8)  NOT NULL,
    hours    INT         NOT NULL,
    reports  INT         NOT NULL,
    PRIMARY KEY (unit_id, month, measure, hours),
    INDEX ix_unit_month_report_hours_month (month),
    CONSTRAINT ck_unit_month_report_hours_measure CHECK (measure IN ('Accept', 'Resolve'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- When each month was last rolled up: the figures' "as of".
CREATE TABLE figure_rollups (
    month        DATE         NOT NULL,
    computed_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (month)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_point_entries_quarter_created ON point_entries (quarter, created_at, member_id, points, entry_kind);
CREATE INDEX ix_patrols_started ON patrols (started_at);
CREATE INDEX ix_grid_reports_resolved ON grid_reports (resolved_at);
CREATE INDEX ix_grid_reports_deadline ON grid_reports (deadline_at);
CREATE INDEX ix_member_events_kind_at ON member_events (kind, at);
