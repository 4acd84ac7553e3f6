-- Sessions live in signed, encrypted cookies; this lets the server revoke them: a session
-- opened before this instant is refused (set on password change, deactivation, role change).
ALTER TABLE users ADD COLUMN sessions_valid_from TIMESTAMPTZ NOT NULL DEFAULT now();
