-- The SQL shape of one earn, as the ledger service runs it (scripts/bench ledger):
-- the transaction row, the participant's balance, two postings and a lot.
\set k random(0, :nusers - 1)
\set uid :first_uid + :k
BEGIN;
INSERT INTO ledger_transactions (tenant_id, kind, user_id, amount, cause_type, reason,
    idempotency_key, request_fingerprint, created_at)
VALUES (:tenant, 'earn', :uid, 10, 'declaration', '', 'pgbench-' || gen_random_uuid(),
    md5(random()::text), now())
ON CONFLICT ON CONSTRAINT ledger_transactions_idempotency_key DO NOTHING
RETURNING id AS txn \gset
UPDATE ledger_balances SET available = available + 10
WHERE tenant_id = :tenant AND user_id = :uid
RETURNING available_account_id AS acct \gset
INSERT INTO ledger_postings (tenant_id, transaction_id, account_id, amount)
VALUES (:tenant, :txn, :acct, 10), (:tenant, :txn, :issuance, -10);
INSERT INTO ledger_lots (tenant_id, user_id, transaction_id, amount, remaining, expires_at, created_at)
VALUES (:tenant, :uid, :txn, 10, 10, now() + interval '12 months', now());
END;
