-- Integration API: keys created by admins (the secret is shown once; only its SHA-256 is
-- kept: the secret is 32 random bytes, so a fast hash cannot be brute-forced and every
-- request can be checked without argon2's cost), and the responses of POST requests kept
-- by their Idempotency-Key so that a retry replays the first response.
CREATE TABLE api_keys (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The first characters of the secret, shown in lists to recognise a key.
    prefix TEXT NOT NULL CHECK (length(prefix) BETWEEN 8 AND 20),
    secret_sha256 TEXT NOT NULL CHECK (length(secret_sha256) = 64),
    scopes TEXT[] NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
    CHECK (scopes <@ ARRAY['read', 'sell-in', 'sell-out', 'network', 'fulfilment']::TEXT[])
);
-- The host names the tenant (as for pages); the hash finds the key within it, so another
-- tenant's key is simply not found.
CREATE UNIQUE INDEX api_keys_secret_idx ON api_keys (tenant_id, secret_sha256);

CREATE TABLE api_idempotency (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    api_key_id BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_sha256 TEXT NOT NULL,
    status SMALLINT NOT NULL DEFAULT 0,
    body JSONB NOT NULL DEFAULT 'null',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, api_key_id, idempotency_key),
    FOREIGN KEY (tenant_id, api_key_id) REFERENCES api_keys (tenant_id, id)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);

-- Declarations sent through the API say so.
ALTER TABLE declarations DROP CONSTRAINT declarations_source_check;
ALTER TABLE declarations ADD CONSTRAINT declarations_source_check
    CHECK (source IN ('portal', 'import', 'api'));
