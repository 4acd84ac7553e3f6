ALTER TABLE tenants
    DROP COLUMN point_value_minor,
    DROP COLUMN currency,
    DROP COLUMN time_zone;
