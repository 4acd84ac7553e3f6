-- The points ledger: append-only and double-entry. Every movement is a transaction whose
-- postings sum to zero. A participant owns two accounts (available, held); the programme
-- owns one account per kind (issuance, redemption, expiry, adjustment), created lazily.
-- Programme balances are derived by summing postings, never cached: no hot row.

-- Programme setting: points expire this many months after they were earned (NULL: never).
ALTER TABLE tenants ADD COLUMN points_expiry_months INTEGER
    CHECK (points_expiry_months BETWEEN 1 AND 120);

CREATE TABLE ledger_accounts (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    kind TEXT NOT NULL CHECK (kind IN
        ('available', 'held', 'issuance', 'redemption', 'expiry', 'adjustment')),
    -- The participant owning an available or held account; NULL for programme accounts.
    user_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    CHECK ((kind IN ('available', 'held')) = (user_id IS NOT NULL)),
    CONSTRAINT ledger_accounts_user_kind_key UNIQUE (tenant_id, user_id, kind)
);
CREATE UNIQUE INDEX ledger_accounts_programme_key ON ledger_accounts (tenant_id, kind)
    WHERE user_id IS NULL;

-- The cached balance of one participant: available = sum of the postings to the available
-- account, held = same for the held account. Every movement of the participant updates
-- this row once (debits with a conditional UPDATE), which also serialises them.
CREATE TABLE ledger_balances (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL,
    available_account_id BIGINT NOT NULL,
    held_account_id BIGINT NOT NULL,
    available BIGINT NOT NULL DEFAULT 0 CHECK (available >= 0),
    held BIGINT NOT NULL DEFAULT 0 CHECK (held >= 0),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, available_account_id) REFERENCES ledger_accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, held_account_id) REFERENCES ledger_accounts (tenant_id, id)
);

CREATE TABLE ledger_transactions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    kind TEXT NOT NULL CHECK (kind IN
        ('earn', 'adjust', 'hold', 'capture', 'release', 'expire', 'reversal')),
    -- The participant whose points move.
    user_id BIGINT NOT NULL,
    -- As requested: positive, or signed for an adjustment.
    amount BIGINT NOT NULL CHECK (amount <> 0),
    cause_type TEXT CHECK (cause_type IN
        ('declaration', 'mission', 'challenge', 'redemption', 'manual')),
    cause_id BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    -- NULL when a job or the operator's command line acted.
    author_id BIGINT,
    -- Capture and release: the hold they resolve (at most one per hold).
    hold_id BIGINT,
    -- Reversal: the transaction it corrects (at most one reversal each).
    reverses BIGINT,
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    -- A digest of the request, to refuse a key reused with other parameters.
    request_fingerprint TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, reverses) REFERENCES ledger_transactions (tenant_id, id),
    CONSTRAINT ledger_transactions_idempotency_key UNIQUE (tenant_id, idempotency_key),
    CONSTRAINT ledger_transactions_hold_key UNIQUE (tenant_id, hold_id),
    CONSTRAINT ledger_transactions_reverses_key UNIQUE (tenant_id, reverses),
    CHECK ((kind IN ('capture', 'release')) = (hold_id IS NOT NULL)),
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL)),
    CHECK (kind <> 'adjust' OR btrim(reason) <> ''),
    CHECK (cause_id IS NULL OR cause_type IS NOT NULL)
);
CREATE INDEX ledger_transactions_user_idx ON ledger_transactions (tenant_id, user_id, created_at, id);

CREATE TABLE ledger_postings (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    transaction_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    -- Positive: the account's balance grows.
    amount BIGINT NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (tenant_id, transaction_id, account_id),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES ledger_accounts (tenant_id, id)
);
CREATE INDEX ledger_postings_account_idx ON ledger_postings (tenant_id, account_id, transaction_id);

-- A two-phase debit: pending until captured or released, exactly once. Its id is the id
-- of the hold transaction.
CREATE TABLE ledger_holds (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'captured', 'released')),
    resolved_by BIGINT,
    resolved_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, id) REFERENCES ledger_transactions (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, resolved_by) REFERENCES ledger_transactions (tenant_id, id),
    CHECK ((status = 'pending') = (resolved_by IS NULL)),
    CHECK ((resolved_by IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX ledger_holds_user_idx ON ledger_holds (tenant_id, user_id) WHERE status = 'pending';
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_hold_fkey
    FOREIGN KEY (tenant_id, hold_id) REFERENCES ledger_holds (tenant_id, id);

-- Points credited to a participant, with their expiry. Spending and expiry consume lots
-- soonest-expiring first; the remaining of a participant's lots = available + held.
CREATE TABLE ledger_lots (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id BIGINT NOT NULL,
    -- The credit that created the lot.
    transaction_id BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    remaining BIGINT NOT NULL CHECK (remaining BETWEEN 0 AND amount),
    expires_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id)
);
CREATE INDEX ledger_lots_open_idx ON ledger_lots (tenant_id, user_id, expires_at, id)
    WHERE remaining > 0;
CREATE INDEX ledger_lots_due_idx ON ledger_lots (tenant_id, id)
    WHERE remaining > 0 AND expires_at IS NOT NULL;

-- Which lots each debit consumed, so that lots can be checked against postings.
CREATE TABLE ledger_lot_uses (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    transaction_id BIGINT NOT NULL,
    lot_id BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    PRIMARY KEY (tenant_id, transaction_id, lot_id),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id),
    FOREIGN KEY (tenant_id, lot_id) REFERENCES ledger_lots (tenant_id, id)
);
CREATE INDEX ledger_lot_uses_lot_idx ON ledger_lot_uses (tenant_id, lot_id);

-- Append-only: a mistake is corrected by a reversal, never by an edit.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger table % is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_lot_uses_append_only BEFORE UPDATE OR DELETE ON ledger_lot_uses
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
