-- The public feed reads published work newest first.
CREATE INDEX ix_publicity_status_happened ON publicity_works (status, happened_on, id);
