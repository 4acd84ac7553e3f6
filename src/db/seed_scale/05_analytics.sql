-- seed-scale, step 5: the analytics aggregates and review times, as the services keep
-- them (db::analytics::rebuild does the same for a live tenant).
INSERT INTO sellout_weekly (tenant_id, week, partner_id, product_id, channel, units, amount_minor, lines)
SELECT d.tenant_id, date_trunc('week', d.sale_date)::date, d.partner_id, l.product_id, d.channel,
       SUM(l.quantity), SUM(l.quantity * l.unit_price_minor), COUNT(*)
FROM declarations d
JOIN declaration_lines l ON l.tenant_id = d.tenant_id AND l.declaration_id = d.id
CROSS JOIN cfg c
WHERE d.tenant_id = c.t AND d.status = 'approved'
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO participant_activity_weekly (tenant_id, week, participant_id)
SELECT DISTINCT d.tenant_id, date_trunc('week', d.created_at AT TIME ZONE t.time_zone)::date,
       d.participant_id
FROM declarations d JOIN tenants t ON t.id = d.tenant_id CROSS JOIN cfg c
WHERE d.tenant_id = c.t;

UPDATE declarations d SET reviewed_at = f.decided_at
FROM (SELECT DISTINCT ON (x.declaration_id) x.declaration_id, x.decided_at, x.decided_by
      FROM declaration_decisions x CROSS JOIN cfg c
      WHERE x.tenant_id = c.t AND x.status IN ('approved', 'rejected')
      ORDER BY x.declaration_id, x.id) f, cfg c
WHERE d.tenant_id = c.t AND d.id = f.declaration_id AND f.decided_by IS NOT NULL;
