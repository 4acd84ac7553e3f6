UPDATE jobs SET status = 'done' WHERE status = 'skipped';
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('queued', 'running', 'done', 'failed'));
DROP TABLE email_opt_outs;
