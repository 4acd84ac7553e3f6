-- Sessions kept on the server (platform-wide: a session is found by its key before any
-- tenant is known). `id` is the SHA-256 of the key the cookie carries.
CREATE TABLE web_sessions (
    id TEXT PRIMARY KEY,
    state JSONB NOT NULL,
    tenant_id BIGINT REFERENCES tenants (id) ON DELETE CASCADE,
    user_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    idle_expires_at TIMESTAMPTZ NOT NULL,
    absolute_expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (tenant_id, user_id);
CREATE INDEX web_sessions_expiry_idx ON web_sessions (idle_expires_at);

-- Login failure counters: 'ip:<address>' (across tenants), 'account:<tenant>:<email>',
-- 'device:<id>'. One atomic upsert per attempt.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INT NOT NULL,
    window_started_at TIMESTAMPTZ NOT NULL
);
