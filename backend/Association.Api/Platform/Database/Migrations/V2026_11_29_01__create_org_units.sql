-- The organisation tree: District > SubDistrict > Village > Grid.
-- `path` is the chain of ids from the root ('/1/4/17/'), so "everything under unit X" is an
-- index range scan (path LIKE '/1/4/%'), which is how every scope check is written in SQL.
CREATE TABLE org_units (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    parent_id   BIGINT       NULL,
    kind        VARCHAR(16)  NOT NULL,
    code        VARCHAR(32)  NOT NULL,
    name        VARCHAR(100) NOT NULL,
    households  INT          NULL,
    path        VARCHAR(255) NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_org_units_code UNIQUE (code),
    CONSTRAINT uq_org_units_sibling_name UNIQUE (parent_id, name),
    CONSTRAINT fk_org_units_parent FOREIGN KEY (parent_id) REFERENCES org_units (id),
    CONSTRAINT ck_org_units_kind CHECK (kind IN ('District', 'SubDistrict', 'Village', 'Grid')),
    -- Households are counted per grid only; villages and above add up their grids.
    CONSTRAINT ck_org_units_households CHECK (
        (kind = 'Grid' AND households IS NOT NULL AND households BETWEEN 0 AND 1000000)
        OR (kind <> 'Grid' AND households IS NULL)),
    CONSTRAINT ck_org_units_root CHECK ((kind = 'District') = (parent_id IS NULL)),
    INDEX ix_org_units_path (path),
    INDEX ix_org_units_parent (parent_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
