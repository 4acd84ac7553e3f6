-- seed-scale, step 3: the points ledger as the services would have written it. Every
-- approval earned (key `declaration:<id>`, one lot expiring after 12 months); some
-- approvals were later reversed (key `declaration:<id>:reversal`, the earn's lot taken
-- back); one participant in twenty got a manual adjustment. Then the decisions and
-- their audit events.
INSERT INTO ledger_accounts (tenant_id, kind, user_id, created_at)
SELECT c.t, k.kind, u.id, now() - interval '390 days'
FROM cfg c CROSS JOIN g_user u CROSS JOIN (VALUES ('available'), ('held')) k(kind)
ORDER BY u.id, k.kind;
INSERT INTO ledger_accounts (tenant_id, kind, created_at)
SELECT c.t, k.kind, now() - interval '390 days'
FROM cfg c CROSS JOIN (VALUES ('issuance'), ('adjustment')) k(kind)
ON CONFLICT (tenant_id, kind) WHERE user_id IS NULL DO NOTHING;

CREATE TEMP TABLE g_acct ON COMMIT DROP AS
SELECT a.user_id, max(a.id) FILTER (WHERE a.kind = 'available') AS available,
       max(a.id) FILTER (WHERE a.kind = 'held') AS held
FROM ledger_accounts a, cfg c
WHERE a.tenant_id = c.t AND a.user_id IS NOT NULL GROUP BY 1;
CREATE UNIQUE INDEX ON g_acct (user_id);
ANALYZE g_acct;

CREATE TEMP TABLE g_prog ON COMMIT DROP AS
SELECT max(a.id) FILTER (WHERE a.kind = 'issuance') AS issuance,
       max(a.id) FILTER (WHERE a.kind = 'adjustment') AS adjustment
FROM ledger_accounts a, cfg c WHERE a.tenant_id = c.t AND a.user_id IS NULL;
ANALYZE g_prog;

CREATE TEMP TABLE g_earn ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('ledger_transactions', 'id')) AS id,
       nextval(pg_get_serial_sequence('ledger_lots', 'id')) AS lot_id,
       d.id AS declaration_id, d.participant_id AS user_id, s.points AS amount,
       d.decided_at AS at, CASE WHEN d.auto THEN NULL ELSE c.admin END AS author,
       d.outcome = 'reversed' AS reversed
FROM g_decl d JOIN g_sum s ON s.id = d.id CROSS JOIN cfg c
WHERE d.outcome IN ('approved', 'reversed') AND s.points > 0
ORDER BY d.decided_at;
CREATE UNIQUE INDEX ON g_earn (declaration_id);
ANALYZE g_earn;

CREATE TEMP TABLE g_rev ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('ledger_transactions', 'id')) AS id, e.id AS earn_id,
       e.lot_id, e.declaration_id, e.user_id, e.amount, c.admin AS author,
       least(now() - interval '1 minute', e.at + interval '2 days') AS at
FROM g_earn e CROSS JOIN cfg c WHERE e.reversed ORDER BY e.at;
ANALYZE g_rev;

CREATE TEMP TABLE g_adj ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('ledger_transactions', 'id')) AS id,
       nextval(pg_get_serial_sequence('ledger_lots', 'id')) AS lot_id,
       u.id AS user_id, (50 * (1 + floor(random() * 10)))::bigint AS amount,
       (ARRAY['Bonus de bienvenue', 'Geste commercial', 'Correction de déclaration'])[1 + u.n % 3]
           AS reason,
       c.admin AS author,
       least(now() - interval '1 minute',
             (c.today - floor(random() * c.days)::int)::timestamp AT TIME ZONE 'UTC'
                 + interval '14 hours') AS at
FROM g_user u CROSS JOIN cfg c WHERE u.n % 20 = 3;
ANALYZE g_adj;

INSERT INTO ledger_transactions (tenant_id, id, kind, user_id, amount, cause_type, cause_id,
                                 reason, author_id, reverses, idempotency_key,
                                 request_fingerprint, created_at)
OVERRIDING SYSTEM VALUE
SELECT c.t, x.id, x.kind, x.user_id, x.amount, x.cause_type, x.cause_id, x.reason, x.author,
       x.reverses, x.key,
       encode(sha256(pg_temp.part(x.kind) || pg_temp.part(x.user_id::text)
                     || pg_temp.part(x.amount::text) || pg_temp.part('None')
                     || pg_temp.part(pg_temp.opt(x.reverses)) || pg_temp.part(x.cause_type)
                     || pg_temp.part(pg_temp.opt(x.cause_id)) || pg_temp.part(x.reason)
                     || pg_temp.part(pg_temp.opt(x.author))), 'hex'),
       x.at
FROM cfg c, (
    SELECT e.id, 'earn' AS kind, e.user_id, e.amount, 'declaration' AS cause_type,
           e.declaration_id AS cause_id, '' AS reason, e.author, NULL::bigint AS reverses,
           'declaration:' || e.declaration_id AS key, e.at
    FROM g_earn e
    UNION ALL
    SELECT r.id, 'reversal', r.user_id, r.amount, 'declaration', r.declaration_id, '',
           r.author, r.earn_id, 'declaration:' || r.declaration_id || ':reversal', r.at
    FROM g_rev r
    UNION ALL
    SELECT j.id, 'adjust', j.user_id, j.amount, 'manual', NULL, j.reason, j.author, NULL,
           'adjust:seed-scale-' || j.user_id, j.at
    FROM g_adj j
) x
ORDER BY x.id;

INSERT INTO ledger_postings (tenant_id, transaction_id, account_id, amount)
SELECT c.t, x.id, x.account, x.amount
FROM cfg c, (
    SELECT e.id, a.available AS account, e.amount FROM g_earn e JOIN g_acct a USING (user_id)
    UNION ALL SELECT e.id, p.issuance, -e.amount FROM g_earn e, g_prog p
    UNION ALL SELECT r.id, a.available, -r.amount FROM g_rev r JOIN g_acct a USING (user_id)
    UNION ALL SELECT r.id, p.issuance, r.amount FROM g_rev r, g_prog p
    UNION ALL SELECT j.id, a.available, j.amount FROM g_adj j JOIN g_acct a USING (user_id)
    UNION ALL SELECT j.id, p.adjustment, -j.amount FROM g_adj j, g_prog p
) x
ORDER BY x.id, x.account;

INSERT INTO ledger_lots (tenant_id, id, user_id, transaction_id, amount, remaining,
                         expires_at, created_at)
OVERRIDING SYSTEM VALUE
SELECT c.t, x.lot_id, x.user_id, x.id, x.amount, x.remaining,
       x.at + interval '12 months', x.at
FROM cfg c, (
    SELECT e.lot_id, e.user_id, e.id, e.amount,
           CASE WHEN e.reversed THEN 0 ELSE e.amount END AS remaining, e.at
    FROM g_earn e
    UNION ALL
    SELECT j.lot_id, j.user_id, j.id, j.amount, j.amount, j.at FROM g_adj j
) x
ORDER BY x.lot_id;

INSERT INTO ledger_lot_uses (tenant_id, transaction_id, lot_id, amount)
SELECT c.t, r.id, r.lot_id, r.amount FROM g_rev r, cfg c ORDER BY r.id;

INSERT INTO ledger_balances (tenant_id, user_id, available_account_id, held_account_id,
                             available, held)
SELECT c.t, a.user_id, a.available, a.held, coalesce(l.s, 0), 0
FROM g_acct a
CROSS JOIN cfg c
LEFT JOIN (SELECT user_id, SUM(remaining)::bigint AS s
           FROM ledger_lots, cfg WHERE tenant_id = cfg.t GROUP BY 1) l
       ON l.user_id = a.user_id
ORDER BY a.user_id;

-- Decisions: the first one of every decided declaration, then the later reversals.
INSERT INTO declaration_decisions (tenant_id, declaration_id, status, decided_by, reason,
                                   ledger_transaction_id, decided_at)
SELECT c.t, d.id,
       CASE d.outcome WHEN 'reversed' THEN 'approved' ELSE d.outcome END,
       CASE WHEN d.outcome = 'withdrawn' THEN d.participant_id
            WHEN d.auto AND d.outcome IN ('approved', 'reversed') THEN NULL
            ELSE c.admin END,
       CASE WHEN d.outcome = 'rejected' THEN 'listed:unreadable_proof' END,
       e.id, d.decided_at
FROM g_decl d CROSS JOIN cfg c LEFT JOIN g_earn e ON e.declaration_id = d.id
WHERE d.outcome <> 'submitted'
ORDER BY d.decided_at;
INSERT INTO declaration_decisions (tenant_id, declaration_id, status, decided_by, reason,
                                   ledger_transaction_id, decided_at)
SELECT c.t, r.declaration_id, 'rejected', c.admin, 'Vente annulée par le client.', r.id, r.at
FROM g_rev r CROSS JOIN cfg c ORDER BY r.at;
UPDATE declarations d SET updated_at = r.at
FROM g_rev r, cfg c WHERE d.tenant_id = c.t AND d.id = r.declaration_id;

INSERT INTO audit_events (tenant_id, actor_id, actor_label, action, subject_type, subject_id,
                          before, after, created_at)
SELECT c.t, x.actor_id, coalesce(x.label, adm.display_name), x.action, x.subject_type,
       x.subject_id, x.before, x.after, x.at
FROM cfg c
JOIN users adm ON adm.tenant_id = c.t AND adm.id = c.admin
CROSS JOIN LATERAL (
    SELECT CASE WHEN d.outcome = 'withdrawn' THEN d.participant_id
                WHEN d.auto AND d.outcome IN ('approved', 'reversed') THEN NULL
                ELSE c.admin END AS actor_id,
           CASE WHEN d.outcome = 'withdrawn' THEN d.participant_name
                WHEN d.auto AND d.outcome IN ('approved', 'reversed') THEN 'auto-approval'
           END AS label,
           CASE d.outcome WHEN 'reversed' THEN 'declaration.approved'
                ELSE 'declaration.' || d.outcome END AS action,
           'declaration' AS subject_type, d.id AS subject_id,
           jsonb_build_object('status', 'submitted') AS before,
           CASE WHEN d.outcome IN ('approved', 'reversed') THEN
                    jsonb_build_object('status', 'approved', 'points', s.points,
                                       'automatic', d.auto)
                WHEN d.outcome = 'rejected' THEN
                    jsonb_build_object('status', 'rejected', 'reason', 'listed:unreadable_proof')
                ELSE jsonb_build_object('status', d.outcome) END AS after,
           d.decided_at AS at
    FROM g_decl d JOIN g_sum s ON s.id = d.id
    WHERE d.outcome <> 'submitted'
    UNION ALL
    SELECT c.admin, NULL, 'declaration.reversed', 'declaration', r.declaration_id,
           jsonb_build_object('status', 'approved'),
           jsonb_build_object('status', 'rejected', 'reason', 'Vente annulée par le client.'),
           r.at
    FROM g_rev r
    UNION ALL
    SELECT c.admin, NULL, 'points.adjusted', 'user', j.user_id, NULL,
           jsonb_build_object('points', j.amount, 'reason', j.reason, 'transaction', j.id),
           j.at
    FROM g_adj j
) x
ORDER BY x.at;
