-- The overview reads a range of weeks of `sellout_weekly` and sums its figures: with the
-- figures carried in the key's index, that is an index-only scan of the weeks asked for
-- rather than a scan of the whole table (measured by `scripts/bench dashboard`).
ALTER TABLE sellout_weekly
    DROP CONSTRAINT sellout_weekly_pkey,
    ADD CONSTRAINT sellout_weekly_pkey
        PRIMARY KEY (tenant_id, week, partner_id, product_id, channel) INCLUDE (units, amount_minor);
