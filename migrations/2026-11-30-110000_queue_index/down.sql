DROP INDEX declarations_queue_idx;
CREATE INDEX declarations_queue_idx ON declarations (tenant_id, status, created_at);
