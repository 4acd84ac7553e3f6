-- Each tenant works in its own time zone and currency: dates are shown and day
-- boundaries computed in `time_zone` (an IANA name, checked by the application against
-- chrono-tz's list); amounts are in minor units of `currency` (ISO 4217), and
-- `point_value_minor` is what one point is worth in those minor units (for the liability).
-- Existing tenants keep what they had implicitly: UTC, and amounts with two decimals.
ALTER TABLE tenants
    ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'
        CHECK (length(time_zone) BETWEEN 1 AND 64),
    ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR'
        CHECK (currency ~ '^[A-Z]{3}$'),
    ADD COLUMN point_value_minor BIGINT NOT NULL DEFAULT 0
        CHECK (point_value_minor BETWEEN 0 AND 1000000000);
