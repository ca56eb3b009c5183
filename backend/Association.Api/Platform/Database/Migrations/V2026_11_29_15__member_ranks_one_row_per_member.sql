-- One row per member and run, carrying the member's rank and position in each of the three scopes, so a
-- run writes a third of the rows member_rankings needed and the job ranks every scope in one pass.
-- Positions order ties by member id inside each scope; a scope's size is its largest position.
-- Stored in sub-district order, the order the job writes in, so inserts append.
--
-- Each run has its own partition (r<run id>): the job adds it before writing and drops superseded runs
-- with DROP PARTITION, which takes milliseconds where deleting a million rows and their index entries
-- took as long as writing them. r0 only exists because a LIST-partitioned table needs one partition.
CREATE TABLE member_ranks (
    run_id                 BIGINT  NOT NULL,
    member_id              BIGINT  NOT NULL,
    points                 INT     NOT NULL,
    grid_id                BIGINT  NOT NULL,
    grid_rank              INT     NOT NULL,
    grid_position          INT     NOT NULL,
    village_id             BIGINT  NOT NULL,
    village_rank           INT     NOT NULL,
    village_position       INT     NOT NULL,
    sub_district_id        BIGINT  NOT NULL,
    sub_district_rank      INT     NOT NULL,
    sub_district_position  INT     NOT NULL,
    PRIMARY KEY (run_id, sub_district_id, sub_district_position),
    UNIQUE INDEX ux_member_ranks_member (run_id, member_id),
    INDEX ix_member_ranks_grid (run_id, grid_id, grid_position),
    INDEX ix_member_ranks_village (run_id, village_id, village_position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  PARTITION BY LIST (run_id) (PARTITION r0 VALUES IN (0));

-- Final quarters must stay readable: every stored run gets its partition, then its rows.
SET SESSION group_concat_max_len = 1000000;
SET @add_partitions = COALESCE(
    (SELECT CONCAT('ALTER TABLE member_ranks ADD PARTITION (',
                   GROUP_CONCAT(CONCAT('PARTITION r', id, ' VALUES IN (', id, ')') ORDER BY id SEPARATOR ', '), ')')
       FROM ranking_runs),
    'DO 0');
PREPARE add_partitions FROM @add_partitions;
EXECUTE add_partitions;
DEALLOCATE PREPARE add_partitions;

INSERT INTO member_ranks (run_id, member_id, points, grid_id, grid_rank, grid_position,
                          village_id, village_rank, village_position, sub_district_id, sub_district_rank, sub_district_position)
SELECT g.run_id, g.member_id, g.points, g.scope_id, g.rank_no, g.position,
       v.scope_id, v.rank_no, v.position, s.scope_id, s.rank_no, s.position
  FROM member_rankings g
  JOIN ranking_runs rr ON rr.id = g.run_id
  JOIN member_rankings v ON v.run_id = g.run_id AND v.member_id = g.member_id AND v.scope_kind = 'Village'
  JOIN member_rankings s ON s.run_id = g.run_id AND s.member_id = g.member_id AND s.scope_kind = 'SubDistrict'
 WHERE g.scope_kind = 'Grid';

DROP TABLE member_rankings;
