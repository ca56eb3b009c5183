-- The Ten Safeties campaign (十大平安创建) of a district and year: its phases, the standards of its ten categories as
-- they stood that year, award quotas per sub-district, who was nominated, guided, reviewed, accepted and awarded.

-- The district's office (区平安建设领导小组办公室) holds its role on the district unit.
ALTER TABLE role_assignments DROP CONSTRAINT ck_role_assignments_role;
ALTER TABLE role_assignments ADD CONSTRAINT ck_role_assignments_role
    CHECK (role IN ('GridLeader', 'VillageAdmin', 'SubDistrictAdmin', 'DistrictAdmin'));

-- Each phase runs from its first day to the day before the next one's; joint review lasts until results are published.
CREATE TABLE campaigns (
    id                     BIGINT        NOT NULL AUTO_INCREMENT,
    district_id            BIGINT        NOT NULL,
    year                   SMALLINT      NOT NULL,
    title                  VARCHAR(100)  NOT NULL,
    -- Who awards the plaques (长沙市天心区平安建设领导小组), printed on them and on the forms.
    issuing_body           VARCHAR(100)  NOT NULL,
    mobilise_on            DATE          NOT NULL,
    nominate_on            DATE          NOT NULL,
    guide_on               DATE          NOT NULL,
    accept_on              DATE          NOT NULL,
    joint_review_on        DATE          NOT NULL,
    created_by             BIGINT        NULL,
    created_at             DATETIME(6)   NOT NULL,
    updated_at             DATETIME(6)   NOT NULL,
    results_published_by   BIGINT        NULL,
    results_published_at   DATETIME(6)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_campaigns_year UNIQUE (district_id, year),
    CONSTRAINT fk_campaigns_district FOREIGN KEY (district_id) REFERENCES org_units (id),
    CONSTRAINT ck_campaigns_phases CHECK (mobilise_on <= nominate_on AND nominate_on < guide_on AND guide_on < accept_on
        AND accept_on < joint_review_on)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A category's standards, numbered as in section 4 of the plan; copied into each year's campaign so old forms keep theirs.
CREATE TABLE campaign_standards (
    id           BIGINT         NOT NULL AUTO_INCREMENT,
    campaign_id  BIGINT         NOT NULL,
    category     VARCHAR(16)    NOT NULL,
    number       SMALLINT       NOT NULL,
    text         VARCHAR(1000)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_campaign_standards UNIQUE (campaign_id, category, number),
    CONSTRAINT fk_campaign_standards_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE campaign_quotas (
    campaign_id      BIGINT       NOT NULL,
    sub_district_id  BIGINT       NOT NULL,
    category         VARCHAR(16)  NOT NULL,
    quota            SMALLINT     NOT NULL,
    set_by           BIGINT       NOT NULL,
    set_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (campaign_id, sub_district_id, category),
    CONSTRAINT fk_campaign_quotas_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_campaign_quotas_unit FOREIGN KEY (sub_district_id) REFERENCES org_units (id),
    CONSTRAINT ck_campaign_quotas_quota CHECK (quota BETWEEN 0 AND 1000)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A sub-district's list of a category, sent to the district (报区平安建设领导小组办公室).
CREATE TABLE campaign_lists (
    campaign_id      BIGINT       NOT NULL,
    sub_district_id  BIGINT       NOT NULL,
    category         VARCHAR(16)  NOT NULL,
    nominated        INT          NOT NULL,
    sent_by          BIGINT       NOT NULL,
    sent_at          DATETIME(6)  NOT NULL,
    PRIMARY KEY (campaign_id, sub_district_id, category),
    CONSTRAINT fk_campaign_lists_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Households nominated as 平安家庭 and establishments outside the tree (驻辖区单位), registered to a grid or village.
-- A household's contact, phone and address are personal data: ciphertext with key id, and a mask for display.
CREATE TABLE campaign_subjects (
    id                    BIGINT         NOT NULL AUTO_INCREMENT,
    unit_id               BIGINT         NOT NULL,
    kind                  VARCHAR(16)    NOT NULL,
    name                  VARCHAR(100)   NULL,
    address_cipher        VARBINARY(600) NOT NULL,
    address_key_id        VARCHAR(32)    NOT NULL,
    address_masked        VARCHAR(100)   NOT NULL,
    contact_cipher        VARBINARY(200) NOT NULL,
    contact_key_id        VARCHAR(32)    NOT NULL,
    contact_masked        VARCHAR(50)    NOT NULL,
    phone_cipher          VARBINARY(96)  NOT NULL,
    phone_key_id          VARCHAR(32)    NOT NULL,
    phone_masked          VARCHAR(16)    NOT NULL,
    created_by            BIGINT         NOT NULL,
    created_at            DATETIME(6)    NOT NULL,
    updated_at            DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_campaign_subjects_unit FOREIGN KEY (unit_id) REFERENCES org_units (id),
    CONSTRAINT ck_campaign_subjects_kind CHECK (kind IN ('Household', 'Property', 'Campus', 'Business', 'Hospital', 'Enterprise')),
    CONSTRAINT ck_campaign_subjects_name CHECK ((kind = 'Household') = (name IS NULL)),
    INDEX ix_campaign_subjects_unit (unit_id, kind)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- An application (申报表) and, later, its review form (审核表). subject_key names the nominee ('u:' a unit of the tree,
-- 'a:' the association of a sub-district, 's:' a registered subject); open_marker is 1 until it is withdrawn, so one
-- subject has at most one live application per campaign and category.
CREATE TABLE campaign_applications (
    id                    BIGINT         NOT NULL AUTO_INCREMENT,
    campaign_id           BIGINT         NOT NULL,
    category              VARCHAR(16)    NOT NULL,
    sub_district_id       BIGINT         NOT NULL,
    lead_unit_id          BIGINT         NOT NULL,
    subject_key           VARCHAR(32)    NOT NULL,
    subject_unit_id       BIGINT         NULL,
    subject_id            BIGINT         NULL,
    subject_name          VARCHAR(120)   NOT NULL,
    status                VARCHAR(20)    NOT NULL,
    open_marker           TINYINT        NULL,
    content               VARCHAR(2000)  NOT NULL,
    activity_plan         VARCHAR(4000)  NOT NULL,
    lead_opinion          VARCHAR(1000)  NULL,
    created_by            BIGINT         NOT NULL,
    created_at            DATETIME(6)    NOT NULL,
    updated_at            DATETIME(6)    NOT NULL,
    submitted_at          DATETIME(6)    NULL,
    review_progress       VARCHAR(4000)  NULL,
    review_lead_opinion   VARCHAR(1000)  NULL,
    review_evidence       TEXT           NULL,
    review_sent_at        DATETIME(6)    NULL,
    reviewing_opinion     VARCHAR(1000)  NULL,
    accepted_at           DATETIME(6)    NULL,
    decision_reason       VARCHAR(500)   NULL,
    decided_at            DATETIME(6)    NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_campaign_applications_open UNIQUE (campaign_id, category, subject_key, open_marker),
    CONSTRAINT fk_campaign_applications_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_campaign_applications_lead FOREIGN KEY (lead_unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_campaign_applications_subject FOREIGN KEY (subject_id) REFERENCES campaign_subjects (id),
    CONSTRAINT ck_campaign_applications_status CHECK (status IN ('Draft', 'Submitted', 'Nominated', 'AcceptanceRequested',
        'Accepted', 'NotAccepted', 'Awarded', 'NotAwarded', 'Withdrawn')),
    CONSTRAINT ck_campaign_applications_open CHECK ((status = 'Withdrawn') = (open_marker IS NULL)),
    INDEX ix_campaign_applications_list (campaign_id, sub_district_id, category, status),
    INDEX ix_campaign_applications_lead (lead_unit_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Guidance (指导培育): site visits, talks and study tours held for an application.
CREATE TABLE campaign_guidance (
    id              BIGINT         NOT NULL AUTO_INCREMENT,
    application_id  BIGINT         NOT NULL,
    kind            VARCHAR(16)    NOT NULL,
    held_on         DATE           NOT NULL,
    guided_by       VARCHAR(100)   NOT NULL,
    topic           VARCHAR(200)   NOT NULL,
    notes           VARCHAR(2000)  NULL,
    photo_ids       VARCHAR(400)   NOT NULL,
    created_by      BIGINT         NOT NULL,
    created_at      DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_campaign_guidance_application FOREIGN KEY (application_id) REFERENCES campaign_applications (id),
    CONSTRAINT ck_campaign_guidance_kind CHECK (kind IN ('SiteVisit', 'Discussion', 'StudyTour')),
    INDEX ix_campaign_guidance_application (application_id, held_on)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Progress and results per standard on the review form, with photos as evidence.
CREATE TABLE campaign_review_items (
    application_id  BIGINT         NOT NULL,
    standard_id     BIGINT         NOT NULL,
    progress        VARCHAR(2000)  NOT NULL,
    photo_ids       VARCHAR(400)   NOT NULL,
    updated_by      BIGINT         NOT NULL,
    updated_at      DATETIME(6)    NOT NULL,
    PRIMARY KEY (application_id, standard_id),
    CONSTRAINT fk_campaign_review_items_application FOREIGN KEY (application_id) REFERENCES campaign_applications (id),
    CONSTRAINT fk_campaign_review_items_standard FOREIGN KEY (standard_id) REFERENCES campaign_standards (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Which application a photo is evidence for: whoever sees the application sees its photos.
CREATE TABLE campaign_photos (
    photo_id        CHAR(32)  NOT NULL,
    application_id  BIGINT    NOT NULL,
    PRIMARY KEY (photo_id, application_id),
    CONSTRAINT fk_campaign_photos_application FOREIGN KEY (application_id) REFERENCES campaign_applications (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every change of an application's state: who, when, and the opinion or reason given.
CREATE TABLE campaign_changes (
    id              BIGINT         NOT NULL AUTO_INCREMENT,
    application_id  BIGINT         NOT NULL,
    from_status     VARCHAR(20)    NULL,
    to_status       VARCHAR(20)    NOT NULL,
    opinion         VARCHAR(1000)  NULL,
    by_user_id      BIGINT         NOT NULL,
    at              DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_campaign_changes_application FOREIGN KEY (application_id) REFERENCES campaign_applications (id),
    INDEX ix_campaign_changes_application (application_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
