-- Member activities (会员活动): an event of a unit, its sign-ups with the waiting list, check-in and check-out, and
-- the organiser's attendance. signed_up and waiting count the sign-ups in each state, kept in the transaction that
-- changes them under the event's row lock, so the last place is never given twice.
-- qr_secret signs the rotating check-in codes of this event alone: a code of one event says nothing of another's.
CREATE TABLE events (
    id                     BIGINT        NOT NULL AUTO_INCREMENT,
    unit_id                BIGINT        NOT NULL,
    kind                   VARCHAR(24)   NOT NULL,
    title                  VARCHAR(100)  NOT NULL,
    description            VARCHAR(2000) NULL,
    place                  VARCHAR(200)  NOT NULL,
    lat                    DECIMAL(9, 6) NULL,
    lng                    DECIMAL(9, 6) NULL,
    radius_meters          INT           NULL,
    starts_at              DATETIME(6)   NOT NULL,
    ends_at                DATETIME(6)   NOT NULL,
    signup_deadline        DATETIME(6)   NOT NULL,
    capacity               INT           NOT NULL,
    waitlist_capacity      INT           NOT NULL,
    audience               VARCHAR(16)   NOT NULL,
    status                 VARCHAR(16)   NOT NULL,
    signed_up              INT           NOT NULL DEFAULT 0,
    waiting                INT           NOT NULL DEFAULT 0,
    qr_secret              BINARY(32)    NOT NULL,
    created_by             BIGINT        NOT NULL,
    created_at             DATETIME(6)   NOT NULL,
    attendance_by          BIGINT        NULL,
    attendance_at          DATETIME(6)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_events_unit FOREIGN KEY (unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_events_creator FOREIGN KEY (created_by) REFERENCES users (id),
    CONSTRAINT ck_events_kind CHECK (kind IN ('Patrol', 'Publicity', 'Training', 'Drill', 'Meeting', 'VolunteerService')),
    CONSTRAINT ck_events_audience CHECK (audience IN ('Members', 'Public')),
    CONSTRAINT ck_events_status CHECK (status IN ('Open', 'Completed', 'Cancelled')),
    CONSTRAINT ck_events_times CHECK (ends_at > starts_at AND signup_deadline <= starts_at),
    CONSTRAINT ck_events_places CHECK (capacity >= 1 AND waitlist_capacity >= 0 AND signed_up BETWEEN 0 AND capacity AND waiting >= 0),
    INDEX ix_events_unit_start (unit_id, starts_at),
    INDEX ix_events_start (starts_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per person and event; cancelling and signing up again reuse it, queued_at orders the waiting list.
-- minutes are the credited service time, fixed when the organiser confirms attendance.
CREATE TABLE event_signups (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    event_id        BIGINT        NOT NULL,
    user_id         BIGINT        NOT NULL,
    member_id       BIGINT        NULL,
    state           VARCHAR(16)   NOT NULL,
    queued_at       DATETIME(6)   NOT NULL,
    cancelled_at    DATETIME(6)   NULL,
    checked_in_at   DATETIME(6)   NULL,
    check_in_method VARCHAR(8)    NULL,
    checked_out_at  DATETIME(6)   NULL,
    attendance      VARCHAR(8)    NULL,
    minutes         INT           NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_event_signups_person UNIQUE (event_id, user_id),
    CONSTRAINT fk_event_signups_event FOREIGN KEY (event_id) REFERENCES events (id),
    CONSTRAINT fk_event_signups_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_event_signups_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT ck_event_signups_state CHECK (state IN ('Confirmed', 'Waiting', 'Cancelled')),
    CONSTRAINT ck_event_signups_method CHECK (check_in_method IS NULL OR check_in_method IN ('Code', 'Position')),
    CONSTRAINT ck_event_signups_attendance CHECK (attendance IS NULL OR attendance IN ('Attended', 'NoShow')),
    INDEX ix_event_signups_queue (event_id, state, queued_at, id),
    INDEX ix_event_signups_member (member_id, attendance)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Service time (服务时长) per member and China year, beside the points: moved with each attendance confirmation.
CREATE TABLE member_service_hours (
    member_id BIGINT NOT NULL,
    year      INT    NOT NULL,
    minutes   INT    NOT NULL,
    events    INT    NOT NULL,
    PRIMARY KEY (member_id, year),
    CONSTRAINT fk_member_service_hours_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
