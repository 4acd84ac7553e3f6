-- Indexes found missing on the scale tenant (relais seed-scale, scripts/bench pages).

-- The users list: admins, then marketers, then participants, by name, one page at a time.
CREATE INDEX users_list_idx ON users (tenant_id, role DESC, display_name, id);

-- Points left by month of expiry (the liability report) and lots expiring on a day (the
-- daily warnings): an index-only range scan of the open lots instead of the whole table.
CREATE INDEX ledger_lots_expiring_idx ON ledger_lots (tenant_id, expires_at) INCLUDE (remaining)
    WHERE remaining > 0 AND expires_at IS NOT NULL;
