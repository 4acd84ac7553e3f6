-- Sell-out declarations (with their lines, proofs and decisions), sell-in and opening
-- stock, and the tenant's declaration rules. tenant_id leads every key, as everywhere.

-- The tenant's rules for declarations; a tenant without a row has the defaults. (Their
-- own table rather than columns of `tenants`: diesel is built for 16-column tables.)
CREATE TABLE declaration_rules (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    -- A sale may be declared up to this many days after it happened.
    window_days INTEGER NOT NULL DEFAULT 60 CHECK (window_days BETWEEN 1 AND 366),
    max_quantity_per_line INTEGER NOT NULL DEFAULT 50
        CHECK (max_quantity_per_line BETWEEN 1 AND 100000),
    -- Approve at once what no check flagged.
    auto_approve BOOLEAN NOT NULL DEFAULT false,
    -- Above this many points a declaration is flagged for review.
    auto_approve_max_points BIGINT NOT NULL DEFAULT 500
        CHECK (auto_approve_max_points BETWEEN 0 AND 100000000),
    -- More declarations than this by one participant in one day are flagged.
    max_declarations_per_day INTEGER NOT NULL DEFAULT 10
        CHECK (max_declarations_per_day BETWEEN 1 AND 1000),
    -- Stock alerts: cover below stock_out_weeks, or above overstock_weeks.
    stock_out_weeks INTEGER NOT NULL DEFAULT 2 CHECK (stock_out_weeks BETWEEN 0 AND 52),
    overstock_weeks INTEGER NOT NULL DEFAULT 16 CHECK (overstock_weeks BETWEEN 1 AND 520),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id),
    CHECK (stock_out_weeks < overstock_weeks)
);

CREATE TABLE declarations (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    -- Who declared (and earns the points), for which partner (theirs at the time).
    participant_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    sale_date DATE NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('in_store', 'online')),
    invoice_ref TEXT NOT NULL CHECK (length(btrim(invoice_ref)) BETWEEN 1 AND 60),
    -- The current status; its history is in declaration_decisions.
    status TEXT NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    -- Why the declaration needs a person's review (see domain::declarations::Flag).
    flags TEXT[] NOT NULL DEFAULT '{}',
    customer_type TEXT CHECK (customer_type IN ('new', 'regular', 'professional')),
    feedback TEXT CHECK (length(feedback) <= 2000),
    source TEXT NOT NULL DEFAULT 'portal' CHECK (source IN ('portal', 'import')),
    -- Totals of the lines, fixed at submission.
    points BIGINT NOT NULL CHECK (points >= 0),
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
);
CREATE INDEX declarations_queue_idx ON declarations (tenant_id, status, created_at);
CREATE INDEX declarations_participant_idx ON declarations (tenant_id, participant_id, created_at);
CREATE INDEX declarations_invoice_idx ON declarations (tenant_id, partner_id, lower(btrim(invoice_ref)));
CREATE INDEX declarations_sales_idx ON declarations (tenant_id, partner_id, sale_date)
    WHERE status = 'approved';

-- Every change of status after submission, in order: approval (with its earn),
-- rejection (with the reversal of the earn when it had been approved), withdrawal.
CREATE TABLE declaration_decisions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    declaration_id BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('approved', 'rejected', 'withdrawn')),
    -- The reviewer, or the participant who withdrew; NULL for automatic approval.
    decided_by BIGINT,
    reason TEXT CHECK (length(reason) <= 520),
    ledger_transaction_id BIGINT,
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, declaration_id) REFERENCES declarations (tenant_id, id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, ledger_transaction_id) REFERENCES ledger_transactions (tenant_id, id)
);
CREATE INDEX declaration_decisions_declaration_idx
    ON declaration_decisions (tenant_id, declaration_id, id);

CREATE TABLE declaration_lines (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    declaration_id BIGINT NOT NULL,
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    product_id BIGINT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    points BIGINT NOT NULL CHECK (points >= 0),
    -- A line imported from CSV: "<partner id>|<invoice ref>|<line number>", so that the
    -- same file imported twice adds nothing.
    import_key TEXT,
    PRIMARY KEY (tenant_id, declaration_id, line_no),
    FOREIGN KEY (tenant_id, declaration_id) REFERENCES declarations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    CONSTRAINT declaration_lines_import_key UNIQUE (tenant_id, import_key)
);
CREATE INDEX declaration_lines_product_idx ON declaration_lines (tenant_id, product_id);

-- Photos and PDFs of invoices, checked by content, in Postgres like the logos.
CREATE TABLE declaration_proofs (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    declaration_id BIGINT NOT NULL,
    n SMALLINT NOT NULL CHECK (n BETWEEN 1 AND 5),
    content_type TEXT NOT NULL
        CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    file_name TEXT NOT NULL DEFAULT '' CHECK (length(file_name) <= 200),
    size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    bytes BYTEA NOT NULL,
    -- A small JPEG of an image proof; NULL for PDFs.
    thumbnail BYTEA,
    PRIMARY KEY (tenant_id, declaration_id, n),
    FOREIGN KEY (tenant_id, declaration_id) REFERENCES declarations (tenant_id, id) ON DELETE CASCADE
);

-- What the brand sold to its partners (negative quantities are returns).
CREATE TABLE sell_in (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    partner_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    sold_on DATE NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity <> 0),
    amount_minor BIGINT NOT NULL,
    -- Identifies the imported row, so that importing the same file twice adds nothing.
    import_key TEXT NOT NULL CHECK (length(import_key) BETWEEN 1 AND 200),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    CONSTRAINT sell_in_import_key UNIQUE (tenant_id, import_key)
);
CREATE INDEX sell_in_partner_product_idx ON sell_in (tenant_id, partner_id, product_id, sold_on);

-- The stock a partner held before the first recorded sell-in.
CREATE TABLE opening_stock (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    partner_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, partner_id, product_id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
