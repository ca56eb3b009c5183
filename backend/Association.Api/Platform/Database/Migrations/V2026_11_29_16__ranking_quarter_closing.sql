-- A quarter being finalised is first 'Closing': from then on entries for it count in the quarter they are made in
-- (DOMAIN.md, Time), so the final ranking, computed after the close, takes every point the quarter will ever have.
ALTER TABLE ranking_quarters DROP CONSTRAINT ck_ranking_quarters_status;
ALTER TABLE ranking_quarters ADD CONSTRAINT ck_ranking_quarters_status CHECK (status IN ('Provisional', 'Closing', 'Final'));
