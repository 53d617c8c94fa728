-- A run's state: 'running' while its process lives, 'finished', or 'interrupted' (killed, crashed,
-- or stopped before the end); the process and host, so that the next run can tell a dead run from
-- one still going on beside it.
ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
UPDATE runs SET status = CASE WHEN finished_at IS NULL THEN 'interrupted' ELSE 'finished' END;
