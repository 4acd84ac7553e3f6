UPDATE declarations SET source = 'import' WHERE source = 'api';
ALTER TABLE declarations DROP CONSTRAINT declarations_source_check;
ALTER TABLE declarations ADD CONSTRAINT declarations_source_check
    CHECK (source IN ('portal', 'import'));
DROP TABLE api_idempotency;
DROP TABLE api_keys;
