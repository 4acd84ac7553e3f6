-- One earn as the ledger service sends it (scripts/bench ledger-sql shows the statements):
-- a single prepared statement, outside an explicit transaction, whose CTEs write the
-- transaction row, the participant's balance, two postings and a lot. The values the
-- service binds are the same here (amount 10, a declaration cause, a fresh key, a
-- fingerprint, now). Its parameters are typed, as diesel's binds are.
\set k random(0, :nusers - 1)
\set uid :first_uid + :k
WITH ctx AS (
    SELECT t.points_expiry_months AS months, a.id AS issuance
    FROM tenants t
    JOIN ledger_accounts a ON a.tenant_id = t.id AND a.kind = 'issuance' AND a.user_id IS NULL
    WHERE t.id = :tenant::bigint
      AND EXISTS (SELECT 1 FROM ledger_balances b
                  WHERE b.tenant_id = :tenant::bigint AND b.user_id = :uid::bigint)
), txn AS (
    INSERT INTO ledger_transactions (tenant_id, kind, user_id, amount, cause_type, cause_id,
        reason, author_id, idempotency_key, request_fingerprint, created_at)
    SELECT :tenant::bigint, 'earn', :uid::bigint, 10, 'declaration', NULL, '', NULL,
           'pgbench-' || gen_random_uuid(), md5(random()::text), now()
    FROM ctx
    ON CONFLICT ON CONSTRAINT ledger_transactions_idempotency_key DO NOTHING
    RETURNING tenant_id, id, kind, user_id, amount, cause_type, cause_id, reason, author_id,
              hold_id, reverses, idempotency_key, request_fingerprint, created_at
), balance AS (
    UPDATE ledger_balances b SET available = b.available + 10
    FROM txn WHERE b.tenant_id = :tenant::bigint AND b.user_id = :uid::bigint
    RETURNING b.available_account_id
), postings AS (
    INSERT INTO ledger_postings (tenant_id, transaction_id, account_id, amount)
    SELECT :tenant::bigint, txn.id, balance.available_account_id, 10 FROM txn, balance
    UNION ALL
    SELECT :tenant::bigint, txn.id, ctx.issuance, - 10 FROM txn, balance, ctx
), lot AS (
    INSERT INTO ledger_lots (tenant_id, user_id, transaction_id, amount, remaining,
                             expires_at, created_at)
    SELECT :tenant::bigint, :uid::bigint, txn.id, 10, 10,
           (txn.created_at AT TIME ZONE 'UTC' + make_interval(months => ctx.months))
               AT TIME ZONE 'UTC',
           txn.created_at
    FROM txn, balance, ctx
)
SELECT txn.* FROM txn, balance;
