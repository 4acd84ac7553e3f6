-- Outgoing webhooks: endpoints an admin registers for some events, and one delivery per
-- event and subscribed endpoint, written in the transaction of the event and sent by
-- the job queue (kind `webhook`).
--
-- The signing secret is not stored: `secret_salt` is random, and the secret is
-- HMAC-SHA256(server secret key, tenant, endpoint, salt), so a copy of the database alone
-- cannot sign. Rotating draws a new salt.
CREATE TABLE webhook_endpoints (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    events TEXT[] NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT true,
    secret_salt TEXT NOT NULL CHECK (length(secret_salt) BETWEEN 16 AND 128),
    secret_rotated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    endpoint_id BIGINT NOT NULL,
    -- The event's id (`evt_…`): the same for every endpoint and every re-send.
    event_id TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 64),
    event_type TEXT NOT NULL,
    -- The exact JSON sent: { "id", "type", "created_at", "data" }.
    payload JSONB NOT NULL,
    -- pending (queued or retrying), succeeded, failed (after the last attempt),
    -- skipped (the endpoint was disabled meanwhile).
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'skipped')),
    attempts INT NOT NULL DEFAULT 0,
    last_status_code INT,
    -- The first characters of the last response's body, or the connection error.
    last_response TEXT CHECK (length(last_response) <= 1000),
    last_attempt_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id)
        ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_endpoint_idx
    ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC, id DESC);
