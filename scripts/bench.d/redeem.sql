-- One redemption as services::rewards::redeem::redeem writes it, in one transaction:
-- the reward and its segments read, the participant's balance row locked, the order,
-- the hold (its ledger transaction, the guarded balance update, two postings, the hold
-- row), the stock taken by a conditional UPDATE of the one popular reward, the line,
-- the audit row, the tenant's auto-approval rule read. The service sends these from
-- Rust with diesel (and the ledger's savepoint); pgbench sends them prepared.
\set k random(0, :nusers - 1)
\set uid :first_uid + :k
BEGIN;
SELECT id, code, name, kind, cost_points, stock, max_per_participant, available_from,
       available_until, active FROM rewards WHERE tenant_id = :tenant AND id = :reward;
SELECT segment_id FROM reward_segments WHERE tenant_id = :tenant AND reward_id = :reward;
SELECT time_zone, currency FROM tenants WHERE id = :tenant;
SELECT user_id, available, held FROM ledger_balances
    WHERE tenant_id = :tenant AND user_id = :uid FOR UPDATE;
INSERT INTO reward_orders (tenant_id, user_id, partner_id, total_points, created_at)
    VALUES (:tenant, :uid, NULL, 10, now()) RETURNING id AS order_id \gset
INSERT INTO ledger_transactions (tenant_id, kind, user_id, amount, cause_type, cause_id,
        reason, author_id, idempotency_key, request_fingerprint, created_at)
    VALUES (:tenant, 'hold', :uid, 10, 'redemption', :order_id, '', :uid,
        'pgbench-' || gen_random_uuid(), md5(random()::text), now())
    ON CONFLICT ON CONSTRAINT ledger_transactions_idempotency_key DO NOTHING
    RETURNING id AS txn_id \gset
UPDATE ledger_balances SET available = available - 10, held = held + 10
    WHERE tenant_id = :tenant AND user_id = :uid AND available >= 10
    RETURNING available_account_id AS avail, held_account_id AS held \gset
INSERT INTO ledger_postings (tenant_id, transaction_id, account_id, amount)
    VALUES (:tenant, :txn_id, :avail, -10), (:tenant, :txn_id, :held, 10);
INSERT INTO ledger_holds (tenant_id, id, user_id, amount) VALUES (:tenant, :txn_id, :uid, 10);
UPDATE rewards SET stock = stock - 1 WHERE tenant_id = :tenant AND id = :reward AND stock >= 1;
INSERT INTO reward_order_lines (tenant_id, order_id, reward_id, quantity, unit_points, hold_id,
        updated_at)
    VALUES (:tenant, :order_id, :reward, 1, 10, :txn_id, now());
INSERT INTO audit_events (tenant_id, actor_id, actor_label, action, subject_type, subject_id,
        after, created_at)
    VALUES (:tenant, :uid, 'Participant', 'order.placed', 'order', :order_id,
        '{"quantity": 1, "points": 10}', now());
SELECT auto_approve_below FROM order_rules WHERE tenant_id = :tenant;
COMMIT;
