-- The partner network (partners, their participants), the product catalogue and
-- segments of partners. tenant_id leads every key, as everywhere.

CREATE TABLE partners (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    -- The brand's ERP customer code; imports match on it. Stored upper-cased.
    external_code TEXT NOT NULL CHECK (external_code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind TEXT NOT NULL CHECK (kind IN ('distributor', 'reseller', 'franchisee')),
    brand_mode TEXT NOT NULL CHECK (brand_mode IN ('mono', 'multi')),
    region TEXT NOT NULL CHECK (length(region) BETWEEN 1 AND 80),
    -- ISO 3166-1 alpha-2.
    country TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    -- A free label (Gold, Silver…), used by segments.
    tier TEXT CHECK (length(tier) BETWEEN 1 AND 40),
    potential SMALLINT NOT NULL CHECK (potential BETWEEN 1 AND 5),
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT partners_tenant_code_key UNIQUE (tenant_id, external_code)
);
CREATE INDEX partners_name_idx ON partners (tenant_id, lower(name));

-- A participant belongs to one partner (marketers and admins to none).
ALTER TABLE users ADD COLUMN partner_id BIGINT;
ALTER TABLE users ADD CONSTRAINT users_partner_fkey
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id);
CREATE INDEX users_partner_idx ON users (tenant_id, partner_id);

CREATE TABLE products (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    -- Stored upper-cased; imports match on it.
    sku TEXT NOT NULL CHECK (sku ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    category TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 60),
    -- In the tenant's currency's minor units (cents).
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    points_per_unit BIGINT NOT NULL CHECK (points_per_unit >= 0),
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT products_tenant_sku_key UNIQUE (tenant_id, sku)
);
CREATE INDEX products_name_idx ON products (tenant_id, lower(name));

-- Who may see a mission, a challenge or a reward: the active partners matching every
-- non-empty rule list (kinds, regions, tiers; a segment without any rule matches no one
-- by rule), plus the partners listed explicitly.
CREATE TABLE segments (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    kinds TEXT[] NOT NULL DEFAULT '{}',
    regions TEXT[] NOT NULL DEFAULT '{}',
    tiers TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT segments_tenant_name_key UNIQUE (tenant_id, name)
);

CREATE TABLE segment_partners (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    segment_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, segment_id, partner_id),
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
);
CREATE INDEX segment_partners_partner_idx ON segment_partners (tenant_id, partner_id);
