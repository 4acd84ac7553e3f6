-- Every failed attempt of a job, oldest first: {"attempt", "at", "error"}. A manual retry
-- of a failed e-mail keeps counting attempts and keeps this history.
ALTER TABLE jobs ADD COLUMN errors jsonb NOT NULL DEFAULT '[]'::jsonb;
