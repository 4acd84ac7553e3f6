-- Badges. The rules are built in (domain::badges::BadgeRule) and exist for every tenant
-- without a row: `badges` only holds what a tenant changed (name, description, image,
-- points, active, the streak's length), created on its first edit. So a new tenant has
-- every badge at once, and nothing has to be seeded (nor locked) while awarding.
CREATE TABLE badges (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    rule TEXT NOT NULL CHECK (rule IN ('first_declaration', 'declarations_10',
        'declarations_50', 'declarations_100', 'month_missions', 'challenge_podium',
        'streak_weeks')),
    -- Empty: the catalog's name (or description), in the reader's language.
    name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 80),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    image_key TEXT,
    image_content_type TEXT,
    -- Earned with the badge, through the ledger; 0: none.
    points BIGINT NOT NULL DEFAULT 0 CHECK (points BETWEEN 0 AND 1000000),
    active BOOLEAN NOT NULL DEFAULT true,
    -- The streak's length in consecutive ISO weeks (only the streak rule reads it).
    streak_weeks INTEGER NOT NULL DEFAULT 4 CHECK (streak_weeks BETWEEN 2 AND 52),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, rule),
    CHECK ((image_key IS NULL) = (image_content_type IS NULL))
);

-- A badge earned: once per participant and badge (the primary key; awarding is an
-- INSERT … ON CONFLICT DO NOTHING, and only the row actually inserted earns points and
-- sends the e-mail).
CREATE TABLE badge_awards (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL,
    badge TEXT NOT NULL CHECK (badge IN ('first_declaration', 'declarations_10',
        'declarations_50', 'declarations_100', 'month_missions', 'challenge_podium',
        'streak_weeks')),
    awarded_at TIMESTAMPTZ NOT NULL,
    points BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
    ledger_transaction_id BIGINT,
    CONSTRAINT badge_awards_once_key PRIMARY KEY (tenant_id, user_id, badge),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, ledger_transaction_id) REFERENCES ledger_transactions (tenant_id, id)
);
-- The participant's latest badges (home page): the primary key's prefix, then by date.
CREATE INDEX badge_awards_recent_idx ON badge_awards (tenant_id, user_id, awarded_at DESC);

-- Badge points are a cause of their own in the ledger.
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_cause_type_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_cause_type_check
    CHECK (cause_type IN ('declaration', 'mission', 'challenge', 'redemption', 'manual', 'badge'));

-- The monthly leaderboard sums a tenant's earns of a month: an index-only range scan
-- of earns by time instead of every transaction of the tenant.
CREATE INDEX ledger_transactions_earned_by_day_idx ON ledger_transactions (tenant_id, created_at)
    INCLUDE (user_id, amount, id) WHERE kind = 'earn';

-- Counting a participant's approved declarations (thresholds, streaks).
CREATE INDEX declarations_participant_status_idx
    ON declarations (tenant_id, participant_id, status, sale_date);
