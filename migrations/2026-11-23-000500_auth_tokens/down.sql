ALTER TABLE tenants DROP COLUMN invitation_ttl_hours;
DROP TABLE auth_tokens;
