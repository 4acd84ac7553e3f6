-- The reward catalog and its orders.
--
-- A reward costs points; its `stock` is the units left to redeem (NULL: unlimited),
-- taken by a conditional UPDATE when an order reserves them and given back when the
-- order is rejected, cancelled or a line refunded. E-voucher codes are a pool per
-- reward: an e-voucher's stock is its count of free codes.
CREATE TABLE rewards (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    category TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 60),
    kind TEXT NOT NULL CHECK (kind IN ('physical', 'voucher', 'experience', 'donation')),
    cost_points BIGINT NOT NULL CHECK (cost_points BETWEEN 1 AND 100000000),
    stock INTEGER CHECK (stock >= 0),
    max_per_participant INTEGER CHECK (max_per_participant BETWEEN 1 AND 1000),
    available_from DATE,
    available_until DATE,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT rewards_tenant_code_key UNIQUE (tenant_id, code),
    CHECK (available_until IS NULL OR available_from IS NULL OR available_until >= available_from)
);
CREATE INDEX rewards_catalog_idx ON rewards (tenant_id, category, cost_points, id) WHERE active;

-- Rewards are imported from CSV files like the rest of the catalog.
ALTER TABLE import_column_mappings DROP CONSTRAINT import_column_mappings_kind_check,
    ADD CONSTRAINT import_column_mappings_kind_check CHECK (kind IN ('partners',
        'participants', 'products', 'sell_in', 'opening_stock', 'sell_out', 'rewards'));

-- The order in which the participant's catalog shows categories (those not listed come
-- after, by name).
CREATE TABLE reward_categories (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE reward_segments (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    reward_id BIGINT NOT NULL,
    segment_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, reward_id, segment_id),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id),
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id)
);

-- Up to four images per reward, resized when uploaded, in the media storage.
CREATE TABLE reward_images (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    reward_id BIGINT NOT NULL,
    position SMALLINT NOT NULL CHECK (position BETWEEN 1 AND 4),
    storage_key TEXT NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 300),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, reward_id, position),
    UNIQUE (tenant_id, storage_key),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id)
);

-- Tenant rules for orders: approve by themselves the orders below this many points.
CREATE TABLE order_rules (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants (id),
    auto_approve_below BIGINT CHECK (auto_approve_below BETWEEN 1 AND 100000000),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A participant's delivery address, remembered for their next order.
CREATE TABLE delivery_addresses (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL,
    address JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE TABLE reward_wishes (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL,
    reward_id BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, reward_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id)
);

-- An order: pending (points held, stock reserved) until approved, rejected or
-- cancelled by the participant. The order's row lock decides between those.
CREATE TABLE reward_orders (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id BIGINT NOT NULL,
    -- The participant's partner when they ordered (for the queue's filters).
    partner_id BIGINT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
    total_points BIGINT NOT NULL CHECK (total_points > 0),
    -- Physical goods: name, line1, line2, postcode, city, country, phone.
    delivery_address JSONB,
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    decided_by BIGINT,
    decided_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES users (tenant_id, id),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX reward_orders_user_idx ON reward_orders (tenant_id, user_id, id);
CREATE INDEX reward_orders_queue_idx ON reward_orders (tenant_id, status, id);

-- A line: one reward, a quantity, its own hold in the ledger (captured on approval,
-- released on rejection or cancellation; a refund reverses the capture), and its own
-- fulfilment: pending → processing → shipped → delivered, or refunded after approval;
-- rejected / cancelled with the order.
CREATE TABLE reward_order_lines (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    order_id BIGINT NOT NULL,
    reward_id BIGINT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_points BIGINT NOT NULL CHECK (unit_points > 0),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing',
        'shipped', 'delivered', 'refunded', 'rejected', 'cancelled')),
    hold_id BIGINT NOT NULL,
    carrier TEXT NOT NULL DEFAULT '' CHECK (length(carrier) <= 80),
    tracking_number TEXT NOT NULL DEFAULT '' CHECK (length(tracking_number) <= 80),
    shipped_at TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES reward_orders (tenant_id, id),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id),
    FOREIGN KEY (tenant_id, hold_id) REFERENCES ledger_holds (tenant_id, id),
    UNIQUE (tenant_id, hold_id)
);
CREATE INDEX reward_order_lines_order_idx ON reward_order_lines (tenant_id, order_id);
CREATE INDEX reward_order_lines_reward_idx ON reward_order_lines (tenant_id, reward_id, status);

-- E-voucher codes: imported or generated, each given to at most one order line.
CREATE TABLE reward_codes (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    reward_id BIGINT NOT NULL,
    code TEXT NOT NULL CHECK (length(code) BETWEEN 4 AND 100),
    generated BOOLEAN NOT NULL,
    order_line_id BIGINT,
    assigned_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT reward_codes_code_key UNIQUE (tenant_id, reward_id, code),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id),
    FOREIGN KEY (tenant_id, order_line_id) REFERENCES reward_order_lines (tenant_id, id),
    CHECK ((order_line_id IS NULL) = (assigned_at IS NULL))
);
CREATE INDEX reward_codes_free_idx ON reward_codes (tenant_id, reward_id, id)
    WHERE order_line_id IS NULL;
CREATE INDEX reward_codes_line_idx ON reward_codes (tenant_id, order_line_id)
    WHERE order_line_id IS NOT NULL;
