-- seed-scale, step 1: partners, products, users (one password hash for all), segments.
INSERT INTO partners (tenant_id, external_code, name, kind, brand_mode, region, country,
                      tier, potential, active, created_at, updated_at)
SELECT c.t,
       'SC' || lpad(i::text, 5, '0'),
       (ARRAY['Pharmacie', 'Parapharmacie', 'Officine', 'Droguerie', 'Herboristerie',
              'Pharmacie centrale'])[1 + i % 6]
           || ' ' || (ARRAY['du Port', 'des Alpes', 'Lumière', 'du Marché', 'Saint-Michel',
                            'de la Gare', 'du Centre', 'des Halles', 'Pasteur', 'du Parc',
                            'des Lilas', 'Victor Hugo', 'de la Plage', 'du Château',
                            'Jean Jaurès', 'des Vignes'])[1 + (i / 6) % 16]
           || ' ' || lpad(i::text, 4, '0'),
       CASE WHEN i % 20 = 0 THEN 'distributor' WHEN i % 4 = 1 THEN 'franchisee'
            ELSE 'reseller' END,
       CASE WHEN i % 3 = 0 THEN 'mono' ELSE 'multi' END,
       r.region,
       CASE WHEN r.region IN ('Wallonie', 'Bruxelles') THEN 'BE' ELSE 'FR' END,
       (ARRAY['Gold', 'Silver', 'Bronze', NULL])[1 + (i * 3) % 4],
       1 + (i * 7) % 5,
       i % 100 <> 0,
       now() - interval '400 days', now() - interval '400 days'
FROM cfg c
CROSS JOIN generate_series(1, c.np) i
CROSS JOIN LATERAL (SELECT (ARRAY['Bretagne', 'Normandie', 'Île-de-France', 'Hauts-de-France',
        'Grand Est', 'Bourgogne-Franche-Comté', 'Auvergne-Rhône-Alpes', 'Occitanie',
        'Nouvelle-Aquitaine', 'Pays de la Loire', 'Centre-Val de Loire',
        'Provence-Alpes-Côte d''Azur', 'Wallonie', 'Bruxelles'])[1 + (i * 5) % 14] AS region) r;

CREATE TEMP TABLE g_partner ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY p.id)::int AS n, p.id
FROM partners p, cfg c WHERE p.tenant_id = c.t;
CREATE UNIQUE INDEX ON g_partner (n);
ANALYZE g_partner;

INSERT INTO products (tenant_id, sku, name, category, unit_price_minor, points_per_unit,
                      active, created_at, updated_at)
SELECT c.t,
       'SCP-' || lpad(i::text, 4, '0'),
       (ARRAY['Déodorant', 'Crème mains', 'Baume', 'Gel douche', 'Shampooing', 'Lait corps',
              'Sérum', 'Savon', 'Huile', 'Brume'])[1 + i % 10]
           || ' ' || (ARRAY['fraîcheur', 'sensible', 'bio', 'intense', 'douceur', 'sport'])[1 + (i / 10) % 6]
           || ' ' || (ARRAY['50 ml', '100 ml', '200 ml'])[1 + i % 3]
           || CASE WHEN i > 60 THEN ' ' || i ELSE '' END,
       (ARRAY['Déodorants', 'Soins du corps', 'Hygiène', 'Cheveux', 'Visage', 'Bien-être'])[1 + i % 6],
       300 + (i * 137) % 2700,
       1 + (i * 7) % 20,
       i % 30 <> 0,
       now() - interval '400 days', now() - interval '400 days'
FROM cfg c CROSS JOIN generate_series(1, c.nprod) i;

CREATE TEMP TABLE g_product ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY p.id)::int AS n, p.id, p.unit_price_minor AS price,
       p.points_per_unit AS ppu
FROM products p, cfg c WHERE p.tenant_id = c.t;
CREATE UNIQUE INDEX ON g_product (n);
ANALYZE g_product;

-- Participant i works for partner 1 + (i - 1) % partners; participant 1 is the known login.
INSERT INTO users (tenant_id, email, display_name, role, password_hash, partner_id,
                   created_at, updated_at)
SELECT c.t,
       CASE WHEN i = 1 THEN 'participant@' || c.domain
            ELSE 'participant-' || lpad(i::text, 6, '0') || '@' || c.domain END,
       (ARRAY['Léa', 'Karim', 'Sophie', 'Thomas', 'Inès', 'Lucas', 'Camille', 'Hugo', 'Chloé',
              'Nathan', 'Manon', 'Yanis', 'Emma', 'Louis', 'Sarah', 'Jules', 'Zoé', 'Adam',
              'Alice', 'Rayan'])[1 + i % 20]
           || ' ' || (ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard',
                            'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
                            'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux',
                            'Vincent', 'Fournier', 'Morel', 'Girard', 'Andre'])[1 + (i / 20) % 23],
       'participant', c.hash, p.id,
       now() - interval '390 days', now() - interval '390 days'
FROM cfg c
CROSS JOIN generate_series(1, c.nu) i
JOIN g_partner p ON p.n = 1 + (i - 1) % c.np;

INSERT INTO users (tenant_id, email, display_name, role, password_hash, created_at, updated_at)
SELECT c.t, v.local || '@' || c.domain, v.name, v.role, c.hash, now() - interval '400 days',
       now() - interval '400 days'
FROM cfg c, (VALUES
    ('marketer', 'Margaux Marketing', 'marketer'),
    ('marketer-2', 'Bastien Marketing', 'marketer'),
    ('admin-2', 'Agnès Admin', 'admin')) v(local, name, role);

-- One password hash for every user of the tenant (hashed once by the caller).
UPDATE users u SET password_hash = c.hash FROM cfg c WHERE u.tenant_id = c.t;

CREATE TEMP TABLE g_user ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY u.id)::int AS n, u.id, u.partner_id, p.n AS pn,
       u.display_name
FROM users u JOIN g_partner p ON p.id = u.partner_id, cfg c
WHERE u.tenant_id = c.t AND u.role = 'participant';
CREATE UNIQUE INDEX ON g_user (n);
ANALYZE g_user;

-- Segments: one per region, a few by kind and tier, and one explicit list.
INSERT INTO segments (tenant_id, name, kinds, regions, tiers)
SELECT c.t, 'Région ' || r.region, '{}', ARRAY[r.region], '{}'
FROM cfg c, (SELECT DISTINCT region FROM partners, cfg WHERE tenant_id = cfg.t) r;
INSERT INTO segments (tenant_id, name, kinds, regions, tiers)
SELECT c.t, v.name, v.kinds, '{}', v.tiers
FROM cfg c, (VALUES
    ('Revendeurs Gold', '{reseller}'::text[], '{Gold}'::text[]),
    ('Franchisés', '{franchisee}', '{}'),
    ('Distributeurs', '{distributor}', '{}'),
    ('Gold et Silver', '{}', '{Gold,Silver}'),
    ('Franchisés Bronze', '{franchisee}', '{Bronze}')) v(name, kinds, tiers);
INSERT INTO segments (tenant_id, name) SELECT c.t, 'Top 100 (liste)' FROM cfg c;
INSERT INTO segment_partners (tenant_id, segment_id, partner_id)
SELECT c.t, s.id, p.id
FROM cfg c
JOIN segments s ON s.tenant_id = c.t AND s.name = 'Top 100 (liste)'
JOIN g_partner p ON p.n <= 100;
