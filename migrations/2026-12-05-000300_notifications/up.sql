-- The non-essential e-mails a participant turned off, one row per category: from the
-- preferences page or the one-click link of an e-mail (`source`). Essential e-mails
-- (account access, orders) have no category here and always go.
CREATE TABLE email_opt_outs (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    user_id BIGINT NOT NULL,
    category TEXT NOT NULL CHECK (category ~ '^[a-z_]{1,40}$' AND category <> 'essential'),
    source TEXT NOT NULL CHECK (source IN ('preferences', 'link')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, category),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- An e-mail not sent because its recipient turned its category off ends 'skipped'.
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'skipped'));
