-- Single-use, expiring links: invitations and password resets. Only a SHA-256 of the
-- token is stored, so a database leak does not leak working links.
CREATE TABLE auth_tokens (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id BIGINT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    CONSTRAINT auth_tokens_hash_key UNIQUE (tenant_id, token_hash)
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (tenant_id, user_id, created_at DESC);

-- Programme setting: how long an invitation link works.
ALTER TABLE tenants ADD COLUMN invitation_ttl_hours INTEGER NOT NULL DEFAULT 72
    CHECK (invitation_ttl_hours BETWEEN 1 AND 720);
