-- One-time form tokens: a form that creates something carries a random token; the first
-- submission claims it in its transaction, a repeat (double click, retry, a second tab)
-- finds it claimed and is shown the first one's result instead of creating a copy.
CREATE TABLE form_submissions (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    token TEXT NOT NULL CHECK (length(token) BETWEEN 16 AND 64),
    subject_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, token)
);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);
