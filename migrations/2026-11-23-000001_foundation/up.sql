-- Tenancy: platform-wide reference tables (tenants, their domains), then tenant-owned
-- tables whose primary keys, unique constraints and foreign keys all lead with tenant_id.

CREATE TABLE tenants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    default_locale TEXT NOT NULL DEFAULT 'en' CHECK (default_locale IN ('en', 'fr', 'id')),
    primary_color TEXT NOT NULL DEFAULT '#1f6f5c' CHECK (primary_color ~ '^#[0-9a-f]{6}$'),
    accent_color TEXT NOT NULL DEFAULT '#f2a541' CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
    logo BYTEA,
    logo_content_type TEXT CHECK (logo_content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((logo IS NULL) = (logo_content_type IS NULL))
);

CREATE TABLE tenant_domains (
    domain TEXT PRIMARY KEY CHECK (domain = lower(domain)),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX tenant_domains_tenant_idx ON tenant_domains (tenant_id);

CREATE TABLE users (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    -- Stored lower-cased, so uniqueness is case-insensitive.
    email TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    role TEXT NOT NULL CHECK (role IN ('participant', 'marketer', 'admin')),
    password_hash TEXT,
    locale TEXT CHECK (locale IN ('en', 'fr', 'id')),
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email)
);

-- Every login attempt, for rate limiting per account and per IP (and forensics).
CREATE TABLE login_attempts (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX login_attempts_email_idx ON login_attempts (tenant_id, email, attempted_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (tenant_id, ip, attempted_at);
