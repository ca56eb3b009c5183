-- The abandoned-patrols job looks for patrols still running long after they started.
CREATE INDEX ix_patrols_status_started ON patrols (status, started_at);
