-- Challenges: a period, an objective measured on approved sell-out (or completed
-- missions), a target per participant or partner, reward tiers, rank prizes and a points
-- multiplier. Scores are kept incrementally (one row per challenge and participant,
-- one per challenge and partner), updated in the transaction that approves or reverses
-- what counts; `challenge_contributions` remembers what each source added so that a
-- reversal takes back exactly that. Awards are written once per participant.

ALTER TABLE tenants
    ADD COLUMN challenge_grace_days INTEGER NOT NULL DEFAULT 7
        CHECK (challenge_grace_days BETWEEN 0 AND 60);

CREATE TABLE challenges (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    title TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'scheduled', 'active', 'closed', 'awarded')),
    -- [starts_at, ends_at): whole days of the tenant's zone. Declarations count by
    -- their sale date in that window; approvals count until `award_at` (end + grace).
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    award_at TIMESTAMPTZ,
    published_at TIMESTAMPTZ,
    frozen_at TIMESTAMPTZ,
    awarded_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_at > starts_at),
    CHECK ((status = 'draft') = (award_at IS NULL))
);

-- What a challenge measures and how its targets are set: one row per challenge.
CREATE TABLE challenge_rules (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    objective TEXT NOT NULL CHECK (objective IN ('units', 'revenue', 'declarations', 'missions')),
    scope TEXT NOT NULL CHECK (scope IN ('participant', 'partner')),
    target_mode TEXT NOT NULL CHECK (target_mode IN ('fixed', 'growth', 'upload')),
    -- Fixed: the target. Growth: the floor. Upload: the target of late joiners. Revenue
    -- in minor units.
    target_value BIGINT NOT NULL CHECK (target_value BETWEEN 1 AND 1000000000000),
    -- Growth: the target is this percentage of the reference period's result.
    growth_percent INTEGER CHECK (growth_percent BETWEEN 1 AND 1000),
    reference_starts_on DATE,
    reference_ends_on DATE,
    -- In thousandths (1500 = ×1.5) on lines of the product set sold in the window.
    multiplier INTEGER CHECK (multiplier BETWEEN 1001 AND 10000),
    rank_basis TEXT NOT NULL DEFAULT 'result' CHECK (rank_basis IN ('result', 'attainment')),
    -- The product set: these products and these categories (both empty = every product).
    product_ids BIGINT[] NOT NULL DEFAULT '{}',
    categories TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, challenge_id),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE,
    CHECK ((target_mode = 'growth') = (growth_percent IS NOT NULL)),
    CHECK ((target_mode = 'growth') = (reference_starts_on IS NOT NULL AND reference_ends_on IS NOT NULL)),
    CHECK (reference_ends_on IS NULL OR reference_ends_on >= reference_starts_on)
);
CREATE INDEX challenges_list_idx ON challenges (tenant_id, status, starts_at);

-- A challenge's banner image: its bytes in the storage service (as mission media).
CREATE TABLE challenge_banners (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    storage_key TEXT NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 300),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, challenge_id),
    UNIQUE (tenant_id, storage_key),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE challenge_segments (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    segment_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, challenge_id, segment_id),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id)
);

-- Reward tiers: reaching `percent` % of the target earns `points` (the highest tier
-- reached counts, not the sum).
CREATE TABLE challenge_tiers (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 1000),
    points BIGINT NOT NULL CHECK (points BETWEEN 1 AND 1000000),
    PRIMARY KEY (tenant_id, challenge_id, percent),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE
);

-- Rank prizes: the participant (or each participant of the partner) ranked `rank`.
CREATE TABLE challenge_rank_prizes (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    rank INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 100),
    points BIGINT NOT NULL CHECK (points BETWEEN 1 AND 1000000),
    PRIMARY KEY (tenant_id, challenge_id, rank),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE
);

-- Targets uploaded as CSV while the challenge is a draft: by participant or by partner
-- (the challenge's scope says which id `subject_id` is).
CREATE TABLE challenge_uploaded_targets (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    subject_id BIGINT NOT NULL,
    target BIGINT NOT NULL CHECK (target BETWEEN 1 AND 1000000000000),
    PRIMARY KEY (tenant_id, challenge_id, subject_id),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE
);

-- A participant's score. `target` is theirs in a participant challenge (NULL in a
-- partner challenge, where the partner's row holds it). `reached_at` is when the result
-- last changed: among equal results, the earlier ranks first (then the smaller id).
CREATE TABLE challenge_scores (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    target BIGINT CHECK (target >= 1),
    result BIGINT NOT NULL DEFAULT 0,
    reached_at TIMESTAMPTZ NOT NULL,
    -- Result per ten thousand of the target (basis points), for ranking by attainment.
    attainment BIGINT GENERATED ALWAYS AS (CASE WHEN target IS NULL THEN NULL ELSE result * 10000 / target END) STORED,
    -- The final rank, written when the challenge's results are frozen.
    final_rank INTEGER,
    PRIMARY KEY (tenant_id, challenge_id, participant_id),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
);
-- Leaderboard order, ascending on every column so that a row comparison
-- `(-result, reached_at, participant_id) < (…)` is an index range: the rows before a
-- participant (their rank), their neighbours, and the top with LIMIT. A NULL attainment
-- sorts last.
CREATE INDEX challenge_scores_result_idx
    ON challenge_scores (tenant_id, challenge_id, (-result), reached_at, participant_id);
CREATE INDEX challenge_scores_attainment_idx
    ON challenge_scores (tenant_id, challenge_id, (-attainment), reached_at, participant_id);
CREATE INDEX challenge_scores_partner_idx
    ON challenge_scores (tenant_id, challenge_id, partner_id);

-- A partner's score: the sum of its participants' results; its target is its own in a
-- partner challenge, the sum of its participants' targets in a participant challenge.
CREATE TABLE challenge_partner_scores (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    target BIGINT CHECK (target >= 1),
    result BIGINT NOT NULL DEFAULT 0,
    reached_at TIMESTAMPTZ NOT NULL,
    attainment BIGINT GENERATED ALWAYS AS (CASE WHEN target IS NULL THEN NULL ELSE result * 10000 / target END) STORED,
    -- Its participants taking part (so that a board's size is a sum over partners).
    members INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, challenge_id, partner_id),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
);
CREATE INDEX challenge_partner_scores_result_idx
    ON challenge_partner_scores (tenant_id, challenge_id, (-result), reached_at, partner_id);
CREATE INDEX challenge_partner_scores_attainment_idx
    ON challenge_partner_scores (tenant_id, challenge_id, (-attainment), reached_at, partner_id);

-- What one approved declaration or one mission completion added to a challenge, so a
-- reversal takes back exactly that, once.
CREATE TABLE challenge_contributions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('declaration', 'mission')),
    source_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, challenge_id, source, source_id),
    FOREIGN KEY (tenant_id, challenge_id, participant_id)
        REFERENCES challenge_scores (tenant_id, challenge_id, participant_id) ON DELETE CASCADE
);

-- The final standing of each participant and what they were awarded, written once when
-- the challenge closes (the ledger transaction's idempotency key says the same).
CREATE TABLE challenge_awards (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    challenge_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    result BIGINT NOT NULL,
    target BIGINT,
    rank INTEGER NOT NULL,
    tier_percent INTEGER,
    tier_points BIGINT NOT NULL DEFAULT 0,
    rank_points BIGINT NOT NULL DEFAULT 0,
    ledger_transaction_id BIGINT,
    awarded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, challenge_id, participant_id),
    FOREIGN KEY (tenant_id, challenge_id) REFERENCES challenges (tenant_id, id),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, ledger_transaction_id) REFERENCES ledger_transactions (tenant_id, id)
);
