ALTER TABLE sellout_weekly
    DROP CONSTRAINT sellout_weekly_pkey,
    ADD CONSTRAINT sellout_weekly_pkey PRIMARY KEY (tenant_id, week, partner_id, product_id, channel);
