-- seed-scale, step 4: a year of sell-in, a delivery every two weeks for each product a
-- partner carries, sized on what the partner declared selling times a factor of its own
-- (most near 1; some far below, so that stock runs out; some far above: overstock), and
-- an opening stock for two partners × products in five.
CREATE TEMP TABLE g_pair ON COMMIT DROP AS
SELECT p.id AS partner_id, pr.id AS product_id, pr.price,
       coalesce(s.sold, 0) AS sold,
       CASE WHEN r.f < 0.10 THEN 0.55 + r.f
            WHEN r.f > 0.92 THEN 2.5 + r.f
            ELSE 0.95 + r.f * 0.35 END AS factor,
       floor(random() * 14)::int AS offset_days,
       random() < 0.4 AS has_opening
FROM g_partner p
CROSS JOIN cfg c
CROSS JOIN generate_series(0, least(9, c.nprod - 1)) j
JOIN g_product pr ON pr.n = 1 + (p.n * 7 + j * 13) % c.nprod
CROSS JOIN LATERAL (SELECT random() AS f) r
LEFT JOIN (
    SELECT d.partner_id, l.product_id, SUM(l.quantity)::bigint AS sold
    FROM g_line l JOIN g_decl d ON d.id = l.declaration_id
    WHERE d.outcome = 'approved' GROUP BY 1, 2
) s ON s.partner_id = p.id AND s.product_id = pr.id;
ANALYZE g_pair;

INSERT INTO sell_in (tenant_id, partner_id, product_id, sold_on, quantity, amount_minor,
                     import_key, created_at)
SELECT c.t, g.partner_id, g.product_id, x.sold_on, x.quantity,
       x.quantity * g.price * 6 / 10,
       'seed-scale:' || g.partner_id || ':' || g.product_id || ':' || k,
       x.sold_on::timestamp AT TIME ZONE 'UTC' + interval '6 hours'
FROM g_pair g
CROSS JOIN cfg c
CROSS JOIN generate_series(0, c.days / 14) k
CROSS JOIN LATERAL (
    SELECT c.today - c.days + 1 + k * 14 + g.offset_days AS sold_on,
           greatest(1, round(g.sold * g.factor * 14 / c.days
                             * (0.7 + random() * 0.6)))::int AS quantity
) x
WHERE x.sold_on <= c.today
ORDER BY x.sold_on, g.partner_id, g.product_id;

INSERT INTO opening_stock (tenant_id, partner_id, product_id, quantity, updated_at)
SELECT c.t, g.partner_id, g.product_id, greatest(0, round(g.sold * 28.0 / c.days))::int,
       now() - interval '380 days'
FROM g_pair g CROSS JOIN cfg c WHERE g.has_opening;
