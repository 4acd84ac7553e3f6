DROP TABLE login_attempts;
DROP TABLE users;
DROP TABLE tenant_domains;
DROP TABLE tenants;
