-- When the admins were told by subscribe message; set by the one job run that claims the notice.
ALTER TABLE admin_notices ADD COLUMN notified_at DATETIME(6) NULL;
