-- The review queue counts and pages on this index alone (an index-only scan once the
-- table is vacuumed): the id breaks ties in the queue's order, the partner answers the
-- region filter without reading the table.
DROP INDEX declarations_queue_idx;
CREATE INDEX declarations_queue_idx ON declarations (tenant_id, status, created_at, id) INCLUDE (partner_id);
