-- Status tiers. A tenant's tiers are an ordered list: rank 1 is the lowest. A tier is
-- reached with points *earned* in the tenant's window (rolling 12 months or the calendar
-- year, in the tenant's zone), never with the balance. A tier unlocks a declaration
-- points multiplier (per mille: 1000 = ×1) and the rewards that require it.
CREATE TABLE tier_settings (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    time_window TEXT NOT NULL DEFAULT 'rolling' CHECK (time_window IN ('rolling', 'calendar')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);

CREATE TABLE tiers (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    rank SMALLINT NOT NULL CHECK (rank BETWEEN 1 AND 6),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    threshold BIGINT NOT NULL CHECK (threshold BETWEEN 0 AND 1000000000000),
    multiplier_permille INTEGER NOT NULL CHECK (multiplier_permille BETWEEN 1000 AND 3000),
    PRIMARY KEY (tenant_id, rank)
);

-- A participant's tier as last computed: `computed_rank` from `earned` (0: below the
-- first tier), the admin's `floor_rank` (a tier set by hand: the participant never sits
-- below it), and `rank` = max(computed, floor), the tier they hold and were told about.
CREATE TABLE participant_tiers (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL,
    earned BIGINT NOT NULL DEFAULT 0,
    computed_rank SMALLINT NOT NULL DEFAULT 0 CHECK (computed_rank BETWEEN 0 AND 6),
    floor_rank SMALLINT CHECK (floor_rank BETWEEN 1 AND 6),
    floor_reason TEXT CHECK (length(floor_reason) <= 300),
    rank SMALLINT NOT NULL DEFAULT 0 CHECK (rank BETWEEN 0 AND 6),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

-- A reward only participants of this tier or above may redeem (others see it locked).
CREATE TABLE reward_min_tiers (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    reward_id BIGINT NOT NULL,
    min_rank SMALLINT NOT NULL CHECK (min_rank BETWEEN 1 AND 6),
    PRIMARY KEY (tenant_id, reward_id),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id),
    FOREIGN KEY (tenant_id, min_rank) REFERENCES tiers (tenant_id, rank)
);

-- Points earned by a participant since a date: an index-only scan.
CREATE INDEX ledger_transactions_earned_idx ON ledger_transactions (tenant_id, user_id, created_at)
    INCLUDE (amount, id) WHERE kind = 'earn';
