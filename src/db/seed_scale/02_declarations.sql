-- seed-scale, step 2: declarations over the period, one to four lines each, in every
-- state. A tenth of the participants (the first of each partner) declare five times as
-- much as the others. Each partner carries up to ten products.
CREATE TEMP TABLE g_decl ON COMMIT DROP AS
WITH draw AS (
    SELECT i,
           (CASE WHEN random() < 0.35 THEN 1 + floor(random() * greatest(c.nu / 10, 1))
                 ELSE 1 + floor(random() * c.nu) END)::int AS un,
           floor(random() * c.days)::int AS days_ago,
           random() AS r_status,
           random() AS r_flag,
           random() AS r_auto,
           floor(random() * 10)::int AS base_j,
           random() * interval '60 hours' AS delay,
           random() * interval '72 hours' AS review
    FROM cfg c CROSS JOIN generate_series(1, c.nd) i
), dated AS (
    SELECT d.*, c.today - d.days_ago AS sale_date,
           least(now() - interval '10 minutes',
                 (c.today - d.days_ago)::timestamp AT TIME ZONE 'UTC'
                     + interval '9 hours' + d.delay) AS created_at,
           CASE WHEN d.days_ago < 7 THEN
                CASE WHEN d.r_status < 0.55 THEN 'submitted'
                     WHEN d.r_status < 0.93 THEN 'approved'
                     WHEN d.r_status < 0.97 THEN 'rejected'
                     ELSE 'withdrawn' END
           ELSE
                CASE WHEN d.r_status < 0.015 THEN 'submitted'
                     WHEN d.r_status < 0.90 THEN 'approved'
                     WHEN d.r_status < 0.94 THEN 'rejected'
                     WHEN d.r_status < 0.955 THEN 'reversed'
                     ELSE 'withdrawn' END
           END AS outcome
    FROM draw d, cfg c
)
SELECT d.i, nextval(pg_get_serial_sequence('declarations', 'id')) AS id,
       u.id AS participant_id, u.partner_id, u.pn, u.display_name AS participant_name,
       d.sale_date, d.created_at, d.outcome, d.base_j, d.r_flag,
       d.r_auto < 0.3 AND d.r_flag >= 0.2 AS auto,
       CASE WHEN d.outcome = 'submitted' THEN NULL
            ELSE least(now() - interval '5 minutes', d.created_at + d.review) END AS decided_at
FROM dated d JOIN g_user u ON u.n = d.un;
CREATE UNIQUE INDEX ON g_decl (id);
ANALYZE g_decl;

CREATE TEMP TABLE g_line ON COMMIT DROP AS
SELECT d.id AS declaration_id, l AS line_no, pr.id AS product_id,
       (1 + floor(random() ^ 2 * 6))::int AS quantity, pr.price, pr.ppu
FROM g_decl d
CROSS JOIN LATERAL generate_series(1, 1 + d.i % 4) l
CROSS JOIN cfg c
JOIN g_product pr ON pr.n = 1 + (d.pn * 7 + ((d.base_j + l) % 10) * 13) % c.nprod;
ANALYZE g_line;

CREATE TEMP TABLE g_sum ON COMMIT DROP AS
SELECT declaration_id AS id, SUM(quantity * ppu)::bigint AS points,
       SUM(quantity * price)::bigint AS amount
FROM g_line GROUP BY 1;
CREATE UNIQUE INDEX ON g_sum (id);
ANALYZE g_sum;

INSERT INTO declarations (tenant_id, id, participant_id, partner_id, sale_date, channel,
                          invoice_ref, status, flags, customer_type, feedback, source,
                          points, amount_minor, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT c.t, d.id, d.participant_id, d.partner_id, d.sale_date,
       CASE WHEN d.i % 10 < 7 THEN 'in_store' ELSE 'online' END,
       'F' || lpad(d.i::text, 8, '0'),
       CASE d.outcome WHEN 'reversed' THEN 'rejected' ELSE d.outcome END,
       CASE WHEN d.outcome IN ('submitted', 'approved') AND d.r_flag < 0.2 THEN
            ARRAY[(ARRAY['over_threshold', 'exceeds_stock', 'daily_limit'])[1 + d.i % 3]]
            ELSE '{}'::text[] END,
       (ARRAY['new', 'regular', 'professional', NULL])[1 + d.i % 4],
       CASE WHEN d.i % 50 = 0 THEN 'Cliente ravie, elle reviendra.' END,
       CASE WHEN d.i % 10 = 9 THEN 'import' ELSE 'portal' END,
       s.points, s.amount, d.created_at, coalesce(d.decided_at, d.created_at)
FROM g_decl d JOIN g_sum s ON s.id = d.id CROSS JOIN cfg c
ORDER BY d.id;

INSERT INTO declaration_lines (tenant_id, declaration_id, line_no, product_id, quantity,
                               unit_price_minor, points)
SELECT c.t, l.declaration_id, l.line_no, l.product_id, l.quantity, l.price, l.quantity * l.ppu
FROM g_line l CROSS JOIN cfg c
ORDER BY l.declaration_id, l.line_no;
