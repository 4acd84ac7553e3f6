-- Analytics (issue #14): aggregates kept in the transactions of their causes, and the
-- indexes the overview reads. `relais analytics-rebuild` recomputes the aggregates.

-- Approved sell-out by ISO week (Monday of the sale date), partner, product and channel:
-- added when a declaration is approved, taken back when an approval is reversed.
CREATE TABLE sellout_weekly (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    week DATE NOT NULL CHECK (extract(isodow FROM week) = 1),
    partner_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('in_store', 'online')),
    units BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    lines BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, week, partner_id, product_id, channel),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

-- Participants who declared a sale or completed a mission, by ISO week in the tenant's
-- zone: "active participants" without scanning the declarations.
CREATE TABLE participant_activity_weekly (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    week DATE NOT NULL CHECK (extract(isodow FROM week) = 1),
    participant_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, week, participant_id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id)
);

-- When a person (not the automatic rules) first decided a declaration: the review time.
ALTER TABLE declarations ADD COLUMN reviewed_at TIMESTAMPTZ;
UPDATE declarations d SET reviewed_at = f.decided_at
FROM (SELECT DISTINCT ON (tenant_id, declaration_id) tenant_id, declaration_id, decided_at, decided_by
      FROM declaration_decisions
      WHERE status IN ('approved', 'rejected')
      ORDER BY tenant_id, declaration_id, id) f
WHERE f.tenant_id = d.tenant_id AND f.declaration_id = d.id AND f.decided_by IS NOT NULL;

-- Declarations of a period by status, review time and who: an index-only range scan.
CREATE INDEX declarations_created_idx ON declarations (tenant_id, created_at)
    INCLUDE (status, partner_id, participant_id, channel, reviewed_at);

-- Points issued, redeemed and expired in a period.
CREATE INDEX ledger_transactions_created_idx ON ledger_transactions (tenant_id, created_at)
    INCLUDE (kind, amount, user_id);

CREATE INDEX mission_completions_completed_idx ON mission_completions (tenant_id, completed_at)
    INCLUDE (participant_id);

INSERT INTO sellout_weekly (tenant_id, week, partner_id, product_id, channel, units, amount_minor, lines)
SELECT d.tenant_id, date_trunc('week', d.sale_date)::date, d.partner_id, l.product_id, d.channel,
       SUM(l.quantity), SUM(l.quantity * l.unit_price_minor), COUNT(*)
FROM declarations d
JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
WHERE d.status = 'approved'
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO participant_activity_weekly (tenant_id, week, participant_id)
SELECT d.tenant_id, date_trunc('week', d.created_at AT TIME ZONE t.time_zone)::date, d.participant_id
FROM declarations d JOIN tenants t ON t.id = d.tenant_id
UNION
SELECT c.tenant_id, date_trunc('week', c.completed_at AT TIME ZONE t.time_zone)::date, c.participant_id
FROM mission_completions c JOIN tenants t ON t.id = c.tenant_id;
