-- seed-scale, step 0: the parameters (set by the caller with set_config, local to the
-- transaction), a deterministic random sequence, and the helpers of the later steps.
-- Every temporary table is dropped at commit.
SET LOCAL timezone = 'UTC';
SET LOCAL work_mem = '256MB';
-- Compiling these one-off queries costs more than it saves.
SET LOCAL jit = off;
SELECT setseed(0.2026);

CREATE TEMP TABLE cfg ON COMMIT DROP AS
SELECT current_setting('seed.tenant')::bigint AS t,
       current_setting('seed.partners')::int AS np,
       current_setting('seed.participants')::int AS nu,
       current_setting('seed.products')::int AS nprod,
       current_setting('seed.declarations')::int AS nd,
       current_setting('seed.days')::int AS days,
       current_setting('seed.admin')::bigint AS admin,
       current_setting('seed.hash') AS hash,
       current_setting('seed.domain') AS domain,
       (now() AT TIME ZONE 'UTC')::date AS today;

ANALYZE cfg;

-- One part of the request fingerprint of the ledger service (domain::ledger::fingerprint,
-- SHA-256 over each part's length as 8 bytes little-endian, then its bytes). The parts
-- written here are shorter than 256 bytes. Simple expressions, so that they are inlined.
CREATE FUNCTION pg_temp.part(p text) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT set_byte('\x0000000000000000'::bytea, 0, octet_length(p)) || convert_to(p, 'UTF8')
$$;

CREATE FUNCTION pg_temp.opt(v bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN 'None' ELSE 'Some(' || v || ')' END
$$;
